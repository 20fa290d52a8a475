import Foundation
public import SluiceModel

/// The key stores a node serves HTTPS with, loaded as `<Security>` says, or on the first start without any
/// generated as a self-signed pair under `repository/resources/security/`.
public struct NodeKeyStores: Sendable {
    /// The key stores; the first is the default identity (and signs JWTs unless `jwtSigning` is set), the others
    /// are chosen by SNI.
    public let keyStores: [KeyStore]
    /// `<JWTSigningKeyStore>`, when configured: signs JWTs instead of the first key store.
    public let jwtSigning: KeyStore?
    /// Set when this start generated the default pair (the caller prints where it is and its fingerprint).
    public let generatedCertificatePath: String?

    /// The default identity.
    public var primary: KeyStore { keyStores[0] }

    /// The key store JWTs are signed with: `<JWTSigningKeyStore>`, or else the default identity (as WSO2 signs with
    /// its primary key store).
    public var signing: KeyStore { jwtSigning ?? primary }

    /// The generated certificate, relative to the folder holding `repository/`.
    public static let defaultCertificate = "resources/security/sluice.crt"
    /// The generated key.
    public static let defaultPrivateKey = "resources/security/sluice.key"

    /// Loads the configured key stores, or the default pair (generating it when neither half exists).
    /// - Parameters:
    ///   - settings: `<Security>` of api-manager.xml.
    ///   - repositoryPath: The `repository/` folder; configured relative paths are relative to its parent.
    ///   - password: Overrides the configured passwords (`SLUICE_KEYSTORE_PASSWORD`), nil keeps them.
    ///   - hostName: The machine's host name, for a generated certificate.
    /// - Throws: ``KeyStoreError`` naming the file and the problem.
    public static func prepare(
        settings: SecuritySettings,
        repositoryPath: String,
        password: String? = nil,
        hostName: String = NodeKeyStores.hostName()
    ) throws(KeyStoreError) -> NodeKeyStores {
        // Absolute, so the paths printed for `curl --cacert` work from any folder.
        let repository = URL(fileURLWithPath: repositoryPath).standardizedFileURL.path
        let base = URL(fileURLWithPath: repository).deletingLastPathComponent().path
        func load(_ settings: KeyStoreSettings) throws(KeyStoreError) -> KeyStore {
            var settings = settings
            if let password { settings.password = password }
            return try KeyStore.load(settings, relativeTo: base)
        }
        var jwtSigning: KeyStore?
        if let signingSettings = settings.jwtSigningKeyStore { jwtSigning = try load(signingSettings) }
        if !settings.keyStores.isEmpty {
            var stores: [KeyStore] = []
            for keyStore in settings.keyStores {
                stores.append(try load(keyStore))
            }
            return NodeKeyStores(keyStores: stores, jwtSigning: jwtSigning, generatedCertificatePath: nil)
        }
        let certificate = repository + "/" + defaultCertificate
        let key = repository + "/" + defaultPrivateKey
        let manager = FileManager.default
        var generated: String?
        switch (manager.fileExists(atPath: certificate), manager.fileExists(atPath: key)) {
        case (true, true):
            break
        case (true, false):
            throw .incompleteDefaultPair(present: certificate, missing: key)
        case (false, true):
            throw .incompleteDefaultPair(present: key, missing: certificate)
        case (false, false):
            let pair: SelfSignedCertificate
            do {
                pair = try SelfSignedCertificate(hostNames: [hostName])
            } catch {
                throw .cannotWrite(certificate, detail: "the certificate could not be generated")
            }
            try pair.write(certificatePath: certificate, keyPath: key)
            generated = certificate
        }
        let settings = KeyStoreSettings(format: .pem, location: certificate, privateKeyLocation: key, password: password)
        return NodeKeyStores(
            keyStores: [try KeyStore.load(settings, relativeTo: "/")],
            jwtSigning: jwtSigning,
            generatedCertificatePath: generated
        )
    }

    /// The machine's host name (`gethostname`), without a DNS lookup.
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
