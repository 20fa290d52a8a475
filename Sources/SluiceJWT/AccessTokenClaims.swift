public import JWTKit

/// The claims of a JWT access token, as WSO2 API Manager 4.x issues them: the registered claims (RFC 7519,
/// RFC 9068), `client_id`/`azp`, `scope`, `aut` (APPLICATION or APPLICATION_USER), and the application and key type
/// the 3.x tokens carried (`keytype`, `application`).
public struct AccessTokenClaims: JWTPayload, Sendable, Hashable {
    /// The application a token was issued to, as WSO2 writes it into the token.
    public struct Application: Codable, Sendable, Hashable {
        /// The subscriber who owns the application.
        public var owner: String
        /// The application throttling tier.
        public var tier: String
        /// The application name.
        public var name: String
        /// The application id.
        public var id: String
        /// The application UUID (Sluice's ids are UUIDs, so the same value as `id`).
        public var uuid: String

        /// Creates the claim.
        public init(owner: String, tier: String, name: String, id: String) {
            self.owner = owner
            self.tier = tier
            self.name = name
            self.id = id
            self.uuid = id
        }
    }

    /// The issuer: the token endpoint's URL.
    public var iss: String
    /// The resource owner, or the application owner for client_credentials.
    public var sub: String
    /// The audience: the client the token was issued to (WSO2 writes the consumer key).
    public var aud: String
    /// Seconds since 1970 when the token expires.
    public var exp: Int64
    /// Seconds since 1970 when the token was issued.
    public var iat: Int64
    /// Seconds since 1970 before which the token is not valid (the issue time).
    public var nbf: Int64
    /// The token's unique id.
    public var jti: String
    /// The granted scopes, space-separated.
    public var scope: String
    /// The client (consumer key).
    public var clientID: String
    /// The authorized party: the client again, as WSO2 writes it.
    public var azp: String
    /// `APPLICATION` (client_credentials) or `APPLICATION_USER`.
    public var aut: String
    /// `PRODUCTION` or `SANDBOX`.
    public var keytype: String
    /// The application.
    public var application: Application?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nbf, jti, scope, azp, aut, keytype, application
        case clientID = "client_id"
    }

    /// Creates the claims of a new token.
    public init(
        issuer: String,
        subject: String,
        clientID: String,
        issuedAt: Int64,
        expiresAt: Int64,
        tokenID: String,
        scopes: [String],
        userType: String,
        keyType: String,
        application: Application?
    ) {
        self.iss = issuer
        self.sub = subject
        self.aud = clientID
        self.exp = expiresAt
        self.iat = issuedAt
        self.nbf = issuedAt
        self.jti = tokenID
        self.scope = scopes.joined(separator: " ")
        self.clientID = clientID
        self.azp = clientID
        self.aut = userType
        self.keytype = keyType
        self.application = application
    }

    /// The scopes as a list.
    public var scopes: [String] {
        scope.split(separator: " ").map(String.init)
    }

    /// Time, issuer and signature are checked by ``AccessTokenVerifier`` with the configured skew, not here.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
