import Foundation
import NIOSSL
import SluiceModel
import SluiceTesting
import Testing

@testable import SluiceTLS

/// Loading, generating and refusing key stores: every failure names the file and the cause.
@Suite struct KeyStoreTests {
    @Test func aGeneratedCertificateNamesLocalhostTheLoopbackAddressesAndTheHost() throws {
        let pair = try SelfSignedCertificate(hostNames: ["Build-Host"])
        let store = try KeyStore.fromPEM(certificatePEM: pair.certificatePEM, privateKeyPEM: pair.privateKeyPEM)
        #expect(Set(store.names) == ["localhost", "build-host", "127.0.0.1", "0:0:0:0:0:0:0:1"])
        #expect(store.serves(host: "LOCALHOST") && store.serves(host: "build-host") && !store.serves(host: "example.com"))
        guard case .rsa(let key) = store.keyMaterial else {
            Issue.record("the generated key is RSA, so access tokens are RS256")
            return
        }
        #expect(key.keySizeInBits == 2048)
        let hex = store.fingerprint.split(separator: ":")
        #expect(hex.count == 32 && hex.allSatisfy { $0.count == 2 && $0.uppercased() == $0 })
    }

    @Test func theFirstStartGeneratesThePairOnceWithAPrivateKeyFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let repository = folder.path + "/repository"
        let first = try NodeKeyStores.prepare(settings: SecuritySettings(), repositoryPath: repository, hostName: "node1")
        let certificate = repository + "/resources/security/sluice.crt"
        #expect(first.generatedCertificatePath == certificate)
        let mode = try FileManager.default.attributesOfItem(atPath: repository + "/resources/security/sluice.key")[
            .posixPermissions
        ] as? Int
        #expect(mode == 0o600)
        let second = try NodeKeyStores.prepare(settings: SecuritySettings(), repositoryPath: repository, hostName: "node1")
        #expect(second.generatedCertificatePath == nil)
        #expect(second.primary.fingerprint == first.primary.fingerprint)
        #expect(second.primary.serves(host: "node1"))
    }

    @Test func halfOfTheGeneratedPairStopsTheStart() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let repository = folder.path + "/repository"
        _ = try NodeKeyStores.prepare(settings: SecuritySettings(), repositoryPath: repository)
        try FileManager.default.removeItem(atPath: repository + "/resources/security/sluice.key")
        let error = try #require(throws: KeyStoreError.self) {
            try NodeKeyStores.prepare(settings: SecuritySettings(), repositoryPath: repository)
        }
        #expect(error.description.contains("sluice.crt exists but"))
        #expect(error.description.contains("sluice.key does not"))
    }

    @Test func aMissingConfiguredFileIsNamed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let settings = SecuritySettings(keyStores: [
            KeyStoreSettings(format: .pkcs12, location: "repository/resources/security/wso2carbon.p12", password: "x")
        ])
        let error = try #require(throws: KeyStoreError.self) {
            try NodeKeyStores.prepare(settings: settings, repositoryPath: folder.path + "/repository")
        }
        #expect(
            error.description
                == "the key store \(folder.path)/repository/resources/security/wso2carbon.p12 does not exist "
                + "(check <Security> in api-manager.xml)"
        )
    }

    @Test func aKeyOfAnotherCertificateIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let one = try SelfSignedCertificate(hostNames: [])
        let other = try SelfSignedCertificate(hostNames: [])
        let certificate = try folder.write("server.crt", one.certificatePEM)
        let key = try folder.write("server.key", other.privateKeyPEM)
        let error = try #require(throws: KeyStoreError.self) {
            try KeyStore.load(
                KeyStoreSettings(format: .pem, location: "server.crt", privateKeyLocation: "server.key"),
                relativeTo: folder.path
            )
        }
        #expect(error.description == "the private key \(key) does not belong to the certificate \(certificate)")
    }

    @Test func aCertificateAndKeyInOneFileLoad() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let pair = try SelfSignedCertificate(hostNames: [])
        try folder.write("both.pem", pair.certificatePEM + pair.privateKeyPEM)
        let store = try KeyStore.load(KeyStoreSettings(format: .pem, location: "both.pem"), relativeTo: folder.path)
        #expect(store.names.contains("localhost"))
    }

    @Test func pkcs12OpensWithItsPasswordOnly() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let pair = try SelfSignedCertificate(hostNames: [])
        let source = try KeyStore.fromPEM(certificatePEM: pair.certificatePEM, privateKeyPEM: pair.privateKeyPEM)
        let bundle = NIOSSLPKCS12Bundle(certificateChain: source.certificateChain, privateKey: source.privateKey)
        let bytes = try bundle.serialize(passphrase: Array("wso2carbon".utf8))
        let path = folder.path + "/wso2carbon.p12"
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let settings = KeyStoreSettings(format: .pkcs12, location: path, password: "wso2carbon")
        #expect(try KeyStore.load(settings, relativeTo: "/").fingerprint == source.fingerprint)
        var wrong = settings
        wrong.password = "wso2carbon!"
        let error = try #require(throws: KeyStoreError.self) { try KeyStore.load(wrong, relativeTo: "/") }
        #expect(error.description.hasPrefix("the password does not open the PKCS#12 key store \(path)"))

        try folder.write("garbage.p12", "not a key store")
        let garbage = try #require(throws: KeyStoreError.self) {
            try KeyStore.load(KeyStoreSettings(format: .pkcs12, location: "garbage.p12"), relativeTo: folder.path)
        }
        #expect(garbage.description.contains("garbage.p12 cannot be read"))
    }

    @Test func anEncryptedPEMKeyNeedsItsPassword() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let pair = try SelfSignedCertificate(hostNames: [])
        try folder.write("server.crt", pair.certificatePEM)
        let plain = try folder.write("plain.key", pair.privateKeyPEM)
        // openssl writes the encrypted PKCS#8 key a WSO2 user exports; Debian's openssl is on every build machine.
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", plain, "-out", folder.path + "/encrypted.key",
            "-passout", "pass:s3cret",
        ]
        try openssl.runWithoutInheritedDescriptors()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)

        var settings = KeyStoreSettings(format: .pem, location: "server.crt", privateKeyLocation: "encrypted.key")
        let missing = try #require(throws: KeyStoreError.self) { try KeyStore.load(settings, relativeTo: folder.path) }
        #expect(missing.description.contains("is encrypted: give its <Password>"))
        settings.password = "wrong"
        let wrong = try #require(throws: KeyStoreError.self) { try KeyStore.load(settings, relativeTo: folder.path) }
        #expect(wrong.description.contains("the password does not open the private key"))
        settings.password = "s3cret"
        #expect(try KeyStore.load(settings, relativeTo: folder.path).names.contains("localhost"))
    }

    @Test func aFileThatIsNoCertificateIsSaidToBeOne() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let pair = try SelfSignedCertificate(hostNames: [])
        try folder.write("server.crt", "hello")
        try folder.write("server.key", pair.privateKeyPEM)
        let error = try #require(throws: KeyStoreError.self) {
            try KeyStore.load(
                KeyStoreSettings(format: .pem, location: "server.crt", privateKeyLocation: "server.key"),
                relativeTo: folder.path
            )
        }
        #expect(error.description.contains("holds no PEM certificate"))
    }
}
