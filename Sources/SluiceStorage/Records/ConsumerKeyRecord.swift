public import Foundation
public import SluiceModel

/// One OAuth2 client of an application: a consumer key with the SHA-256 of its secret.
public struct ConsumerKeyRecord: Sendable, Hashable {
    /// The public client id.
    public var consumerKey: String
    /// SHA-256 of the consumer secret; the secret itself is never stored.
    public var secretHash: Data
    /// The application the key belongs to.
    public var applicationID: String
    /// PRODUCTION or SANDBOX: one key of each per application.
    public var keyType: KeyType
    /// Grant types this client may use.
    public var grantTypes: [String]
    /// The OAuth2 redirect URI, when the client has one.
    public var callbackURL: String?
    /// `ACTIVE` or `REVOKED`.
    public var state: String
    /// When the key was generated.
    public var createdAt: Date

    /// Creates a consumer key record.
    public init(
        consumerKey: String,
        secretHash: Data,
        applicationID: String,
        keyType: KeyType,
        grantTypes: [String],
        callbackURL: String? = nil,
        state: String = "ACTIVE",
        createdAt: Date
    ) {
        self.consumerKey = consumerKey
        self.secretHash = secretHash
        self.applicationID = applicationID
        self.keyType = keyType
        self.grantTypes = grantTypes
        self.callbackURL = callbackURL
        self.state = state
        self.createdAt = createdAt
    }
}
