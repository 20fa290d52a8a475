/// WSO2's `JWTConfiguration` (api-manager.xml): whether the gateway sends the backend a signed JWT describing the
/// caller (`X-JWT-Assertion`), and how.
public struct BackendJWTSettings: Sendable, Hashable {
    /// `<EnableJWTGeneration>`: off by default, as in WSO2.
    public var isEnabled: Bool
    /// `<JWTHeader>`: the request header carrying the JWT.
    public var header: String
    /// `<ConsumerDialectURI>`: the prefix of WSO2's claims (`http://wso2.org/claims/subscriber`, ...).
    public var claimDialect: String
    /// The `iss` claim: WSO2's gateway id.
    public var issuer: String
    /// `<TTL>` (Sluice's): how long a JWT is valid at most, in seconds; it never outlives the caller's token.
    public var validitySeconds: Int64

    /// Creates settings; the defaults are WSO2's.
    public init(
        isEnabled: Bool = false,
        header: String = "X-JWT-Assertion",
        claimDialect: String = "http://wso2.org/claims",
        issuer: String = "wso2.org/products/am",
        validitySeconds: Int64 = 900
    ) {
        self.isEnabled = isEnabled
        self.header = header
        self.claimDialect = claimDialect
        self.issuer = issuer
        self.validitySeconds = validitySeconds
    }
}
