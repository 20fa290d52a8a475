import Foundation
public import JWTKit
public import SluiceModel
import Synchronization

/// WSO2's backend JWT (`APIMgtGatewayJWTGeneratorImpl`): a JWT describing the caller, signed with the gateway's key
/// and sent to the backend in `X-JWT-Assertion`, so the backend learns who calls without trusting the client.
///
/// One JWT is made per credential and API and reused until shortly before it expires, so a call with a cached
/// JWT costs a dictionary lookup under a lock, not a signature. A JWT is valid for `validitySeconds` at most and
/// never longer than the credential it stands for.
public final class BackendJWTIssuer: Sendable {
    /// Who calls which API, as the claims say it.
    public struct Caller: Sendable {
        public var subscriber: String?
        public var applicationID: String?
        public var applicationName: String?
        public var applicationTier: String?
        public var apiName: String?
        public var apiContext: String
        public var version: String
        public var subscriptionTier: String?
        public var keyType: String
        public var userType: String
        public var endUser: String?
        /// When the credential expires (seconds since 1970); nil when it does not.
        public var credentialExpiry: Int64?

        /// Creates the description of a caller.
        public init(
            subscriber: String?, applicationID: String?, applicationName: String?, applicationTier: String?,
            apiName: String?, apiContext: String, version: String, subscriptionTier: String?, keyType: String,
            userType: String, endUser: String?, credentialExpiry: Int64?
        ) {
            self.subscriber = subscriber
            self.applicationID = applicationID
            self.applicationName = applicationName
            self.applicationTier = applicationTier
            self.apiName = apiName
            self.apiContext = apiContext
            self.version = version
            self.subscriptionTier = subscriptionTier
            self.keyType = keyType
            self.userType = userType
            self.endUser = endUser
            self.credentialExpiry = credentialExpiry
        }
    }

    /// The settings (header name, dialect, issuer, validity).
    public let settings: BackendJWTSettings
    /// The verification key (`/jwks` on the gateway; the same key as `/oauth2/jwks` when the node issues tokens).
    public var keySet: JSONWebKeySet { signer.keySet }
    private let signer: TokenSigner
    private let now: @Sendable () -> Int64
    private let cache: Mutex<LRUDictionary<CacheKey, Entry>>
    private let signatures = Atomic<Int>(0)

    struct CacheKey: Hashable {
        let credential: String
        let apiContext: String
        let version: String
    }

    struct Entry {
        let jwt: String
        let expiry: Int64
    }

    /// A cached JWT is replaced this long before it expires, so a backend never receives one about to expire.
    static let renewalMargin: Int64 = 30

    /// Creates the issuer.
    /// - Parameters:
    ///   - settings: `<JWTConfiguration>`.
    ///   - signer: The gateway's key.
    ///   - capacity: JWTs kept at most (least recently used leave first).
    ///   - now: Seconds since 1970 (injected in tests).
    public init(
        settings: BackendJWTSettings,
        signer: TokenSigner,
        capacity: Int = 20_000,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        self.settings = settings
        self.signer = signer
        self.now = now
        self.cache = Mutex(LRUDictionary(capacity: capacity))
    }

    /// How many JWTs were signed so far (a cache hit signs none).
    public var signatureCount: Int { signatures.load(ordering: .relaxed) }

    /// The JWT for `credential` calling the API `caller` names: the cached one while it is valid, else a new one.
    /// - Parameters:
    ///   - credential: The access token, API key or certificate fingerprint the caller authenticated with.
    ///   - caller: Who calls; only evaluated when a JWT is made.
    /// - Returns: The compact JWT, or nil when signing fails (not expected with a loaded key).
    public func assertion(for credential: String, apiContext: String, version: String, caller: () -> Caller) -> String? {
        let key = CacheKey(credential: credential, apiContext: apiContext, version: version)
        let time = now()
        let cached = cache.withLock { $0.value(forKey: key) }
        if let cached, time < cached.expiry - Self.renewalMargin { return cached.jwt }
        let described = caller()
        var expiry = time + settings.validitySeconds
        if let credentialExpiry = described.credentialExpiry { expiry = min(expiry, credentialExpiry) }
        guard let jwt = try? signer.sign(claims(described, issuedAt: time, expiry: expiry), type: "JWT") else { return nil }
        signatures.add(1, ordering: .relaxed)
        _ = cache.withLock { $0.updateValue(Entry(jwt: jwt, expiry: expiry), forKey: key) }
        return jwt
    }

    /// The claims of a JWT for `caller`, issued at `issuedAt` and valid until `expiry` (seconds since 1970).
    public func claims(_ caller: Caller, issuedAt: Int64, expiry: Int64) -> BackendJWTClaims {
        var dialect = settings.claimDialect
        if !dialect.isEmpty && dialect != "/" && !dialect.hasSuffix("/") { dialect += "/" }
        if dialect == "/" { dialect = "" }
        var strings: [String: String] = [:]
        func put(_ name: String, _ value: String?) {
            if let value, !value.isEmpty { strings[dialect + name] = value }
        }
        put("subscriber", caller.subscriber)
        put("applicationid", caller.applicationID)
        put("applicationUUId", caller.applicationID)
        put("applicationname", caller.applicationName)
        put("applicationtier", caller.applicationTier)
        put("apiname", caller.apiName)
        put("apicontext", caller.apiContext)
        put("version", caller.version)
        put("tier", caller.subscriptionTier)
        put("keytype", caller.keyType)
        put("usertype", caller.userType)
        put("enduser", caller.endUser)
        // Sluice has one tenant, WSO2's super tenant.
        put("enduserTenantId", "-1234")
        return BackendJWTClaims(issuer: settings.issuer, subject: caller.endUser, issuedAt: issuedAt, expiry: expiry, claims: strings)
    }
}

/// The payload of a backend JWT: `iss`, `sub` (the end user), `iat`, `exp` (numeric seconds, RFC 7519) and WSO2's
/// dialect claims as strings.
public struct BackendJWTClaims: JWTPayload, Sendable, Hashable {
    public var issuer: String
    public var subject: String?
    public var issuedAt: Int64
    public var expiry: Int64
    public var claims: [String: String]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(issuer: String, subject: String?, issuedAt: Int64, expiry: Int64, claims: [String: String]) {
        self.issuer = issuer
        self.subject = subject
        self.issuedAt = issuedAt
        self.expiry = expiry
        self.claims = claims
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        issuer = try container.decode(String.self, forKey: Key(stringValue: "iss"))
        subject = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "sub"))
        issuedAt = try container.decode(Int64.self, forKey: Key(stringValue: "iat"))
        expiry = try container.decode(Int64.self, forKey: Key(stringValue: "exp"))
        var claims: [String: String] = [:]
        for key in container.allKeys where !["iss", "sub", "iat", "exp"].contains(key.stringValue) {
            if let value = try? container.decode(String.self, forKey: key) { claims[key.stringValue] = value }
        }
        self.claims = claims
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(issuer, forKey: Key(stringValue: "iss"))
        try container.encodeIfPresent(subject, forKey: Key(stringValue: "sub"))
        try container.encode(issuedAt, forKey: Key(stringValue: "iat"))
        try container.encode(expiry, forKey: Key(stringValue: "exp"))
        for (name, value) in claims.sorted(by: { $0.key < $1.key }) {
            try container.encode(value, forKey: Key(stringValue: name))
        }
    }

    /// The signature is what backends check; times are checked by them too.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
