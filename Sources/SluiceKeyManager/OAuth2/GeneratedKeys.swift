public import SluiceModel

/// A consumer key with its secret in clear: returned once, when generated or regenerated.
public struct GeneratedKeys: Sendable, Hashable {
    /// The application the keys belong to.
    public var applicationID: String
    /// PRODUCTION or SANDBOX.
    public var keyType: KeyType
    /// The public client id.
    public var consumerKey: String
    /// Shown to the caller once; only its hash is stored.
    public var consumerSecret: String
    /// Grants the client may use.
    public var grantTypes: [String]

    /// Creates a key pair value.
    public init(
        applicationID: String,
        keyType: KeyType,
        consumerKey: String,
        consumerSecret: String,
        grantTypes: [String]
    ) {
        self.applicationID = applicationID
        self.keyType = keyType
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.grantTypes = grantTypes
    }
}
