import Foundation
import SluiceModel
import SluiceTLS
import SluiceTesting
import Testing

/// A node's JWT signing key: the first key store's unless `<JWTSigningKeyStore>` names another, which then signs
/// while the first keeps serving HTTPS.
@Suite struct JWTSigningKeyStoreTests {
    @Test func theConfiguredSigningKeyStoreSignsAndTheGeneratedPairServesTLS() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let pair = try SelfSignedCertificate(hostNames: [], keyKind: .p256)
        _ = try folder.write("jwt.crt", pair.certificatePEM)
        _ = try folder.write("jwt.key", pair.privateKeyPEM)
        let settings = SecuritySettings(
            jwtSigningKeyStore: KeyStoreSettings(format: .pem, location: "jwt.crt", privateKeyLocation: "jwt.key")
        )
        let stores = try NodeKeyStores.prepare(settings: settings, repositoryPath: folder.path + "/repository")
        #expect(stores.generatedCertificatePath != nil)
        guard case .rsa = stores.primary.keyMaterial else {
            Issue.record("the generated TLS key stays RSA")
            return
        }
        guard case .p256 = stores.signing.keyMaterial else {
            Issue.record("the configured EC key signs")
            return
        }
        #expect(stores.signing.fingerprint != stores.primary.fingerprint)

        // Without the setting, the first key store signs.
        let plain = try NodeKeyStores.prepare(settings: SecuritySettings(), repositoryPath: folder.path + "/repository")
        #expect(plain.jwtSigning == nil)
        #expect(plain.signing.fingerprint == plain.primary.fingerprint)
    }

    @Test func aMissingSigningKeyStoreIsNamed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let settings = SecuritySettings(
            jwtSigningKeyStore: KeyStoreSettings(format: .pem, location: "absent.crt", privateKeyLocation: "absent.key")
        )
        let error = try #require(throws: KeyStoreError.self) {
            try NodeKeyStores.prepare(settings: settings, repositoryPath: folder.path + "/repository")
        }
        #expect(error.description.contains("\(folder.path)/absent.crt"))
    }
}
