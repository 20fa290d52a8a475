import Foundation
import SluiceArtifacts
import SluiceModel

/// A client certificate the publisher uploaded for an API, kept in the API's stored document.
struct StoredClientCertificate: Sendable, Codable, Hashable {
    var alias: String
    var tier: String
    var keyType: KeyType
    /// The certificate in PEM.
    var certificate: String
    /// SHA-256 of its DER, lower-case hexadecimal (worked out once, at upload).
    var fingerprint: String

    /// What the artifact needs.
    var entry: APIClientCertificate {
        APIClientCertificate(alias: alias, fingerprint: fingerprint, tier: tier, keyType: keyType)
    }
}
