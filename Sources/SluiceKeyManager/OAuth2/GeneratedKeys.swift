public import SluiceModel

/// A consumer key with its secret in clear: returned once, when generated or regenerated.
public struct GeneratedKeys: Sendable, Hashable {
    public var applicationID: String
    public var keyType: KeyType
    public var consumerKey: String
    /// Shown to the caller once; only its hash is stored.
    public var consumerSecret: String
    public var grantTypes: [String]

    /// Creates a key pair value.
    public init(applicationID: String, keyType: KeyType, consumerKey: String, consumerSecret: String, grantTypes: [String]) {
        self.applicationID = applicationID
        self.keyType = keyType
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.grantTypes = grantTypes
    }
}
