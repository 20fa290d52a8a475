/// A client's consumer key and secret, from HTTP Basic or the request body.
public struct ClientCredentials: Sendable, Hashable {
    /// The client id.
    public var consumerKey: String
    /// The client secret, in clear: never log it.
    public var consumerSecret: String

    /// Creates credentials.
    public init(consumerKey: String, consumerSecret: String) {
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
    }
}
