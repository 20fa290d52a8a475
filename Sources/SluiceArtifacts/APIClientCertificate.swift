public import SluiceModel

/// A client certificate uploaded for a mutual-TLS API, as its artifact needs it: the handler's
/// `certificateInformation` lists each by fingerprint with its tier and key type.
public struct APIClientCertificate: Sendable, Hashable, Codable {
    /// The publisher's name for it (unique per API).
    public var alias: String
    /// SHA-256 of the certificate's DER, lower-case hexadecimal.
    public var fingerprint: String
    /// The subscription tier its calls are throttled by.
    public var tier: String
    /// The key type (endpoint) its calls reach.
    public var keyType: KeyType

    /// Creates an entry.
    public init(alias: String, fingerprint: String, tier: String, keyType: KeyType = .production) {
        self.alias = alias
        self.fingerprint = fingerprint
        self.tier = tier
        self.keyType = keyType
    }
}
