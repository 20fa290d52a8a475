public import Foundation
public import Logging
public import SluiceJWT
public import SluiceModel
public import CoreMetrics

/// How a ``KeyManager`` issues and checks tokens.
public struct KeyManagerConfiguration: Sendable {
    /// Validity periods, skew, refresh rotation and supported grants (identity.xml).
    public var identity: IdentitySettings
    /// Password hashing for users (≥ 210,000 PBKDF2 iterations unless built for tests).
    public var passwordHasher: PasswordHasher
    /// The wall clock tokens are issued and checked against.
    public var clock: any WallClock
    /// The largest `validity_period` a client may ask for, in seconds (ten years).
    public var maximumValidityPeriod: Int64
    /// Grant types given to new consumer keys when the caller names none.
    public var defaultKeyGrantTypes: [String]
    /// Where the key manager logs (never secrets).
    public var logger: Logger
    /// The throttle of password and client-secret checks made for a client address (``LoginThrottle``).
    public var loginThrottle: LoginThrottle.Configuration
    /// Signs JWT access tokens for applications whose token type is JWT; without one every token is opaque.
    public var tokenSigner: TokenSigner?
    /// The `iss` of JWT access tokens: the token endpoint's URL, as WSO2 writes it.
    public var issuer: String
    /// When issued tokens are stored: behind the answer by default; before it for clusters (``TokenPersistence``).
    public var tokenPersistence: TokenPersistence
    /// Paces the write-behind of issued tokens (a manual clock in tests).
    public var tokenWriteClock: any Clock<Duration>
    /// Seconds a client's credentials are checked from memory before storage is read again, which is how soon a
    /// secret changed by another process takes effect (changes made through this key manager do at once).
    public var clientCacheAge: TimeInterval
    /// Where token issuance is counted (`sluice_tokens_issued_total`, `sluice_token_requests_refused_total`);
    /// nil counts nothing.
    public var metricsFactory: (any MetricsFactory)?

    /// The issuer WSO2 writes by default: `https://localhost:9443/oauth2/token`.
    public static let defaultIssuer = "https://localhost:9443/oauth2/token"

    /// Creates a configuration.
    public init(
        identity: IdentitySettings = .wso2Defaults,
        passwordHasher: PasswordHasher = PasswordHasher(),
        clock: any WallClock = SystemWallClock(),
        maximumValidityPeriod: Int64 = 315_360_000,
        defaultKeyGrantTypes: [String] = ["password", "client_credentials", "refresh_token"],
        logger: Logger = Logger(label: "sluice.keymanager"),
        loginThrottle: LoginThrottle.Configuration = LoginThrottle.Configuration(),
        tokenSigner: TokenSigner? = nil,
        issuer: String = KeyManagerConfiguration.defaultIssuer,
        tokenPersistence: TokenPersistence = .defaultWriteBehind,
        tokenWriteClock: any Clock<Duration> = ContinuousClock(),
        clientCacheAge: TimeInterval = 5
    ) {
        self.tokenPersistence = tokenPersistence
        self.tokenWriteClock = tokenWriteClock
        self.clientCacheAge = clientCacheAge
        self.loginThrottle = loginThrottle
        self.identity = identity
        self.passwordHasher = passwordHasher
        self.clock = clock
        self.maximumValidityPeriod = maximumValidityPeriod
        self.defaultKeyGrantTypes = defaultKeyGrantTypes
        self.logger = logger
        self.tokenSigner = tokenSigner
        self.issuer = issuer
    }
}
