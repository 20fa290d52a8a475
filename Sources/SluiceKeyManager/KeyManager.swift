import Foundation
import Logging
import SluiceModel
public import SluiceStorage

/// The repositories the key manager works on.
public typealias KeyManagerStorage = UserRepository & ApplicationRepository & TokenRepository & SubscriptionRepository
    & ConsumerSecretRepository
    & APIRepository & PublisherObjectRepository

/// The OAuth2 key manager: grants, revocation, introspection, applications, keys, subscriptions and users.
///
/// Tokens and secrets are random 256-bit values stored only as SHA-256 hashes. Every write also updates
/// ``validationService``, which the gateway queries from memory.
///
/// One difference from WSO2: WSO2 hands out the same active token again for the same client, user and scope
/// (its `CON_APP_KEY` constraint, which also makes concurrent requests fail). Sluice keeps only hashes and cannot
/// return an old token, so every request gets a new one; concurrent requests all succeed.
public final class KeyManager: Sendable {
    /// The repositories.
    public let storage: any KeyManagerStorage
    /// Validity periods, hashing and clock.
    public let configuration: KeyManagerConfiguration
    /// The in-memory validation index, shared with the gateway.
    public let validationService: KeyValidationService
    /// The scopes stored APIs declare, with their roles.
    let apiScopes = APIScopeCatalog()
    /// Slows down guessing of passwords and client secrets (every entry point that names a client address).
    public let loginThrottle: LoginThrottle
    /// Authorization codes waiting for their exchange.
    let authorizationCodes = AuthorizationCodeStore()
    /// Stores the tokens of new grants in batches, behind the answer or before it (``TokenPersistence``).
    let tokenWrites: TokenWriteBatcher
    /// Clients' credentials in memory, for the token endpoint.
    let clients: ClientDirectory
    /// Token endpoint outcomes, when the configuration names a metrics factory.
    let tokenMetrics: TokenMetrics?

    var identity: IdentitySettings { configuration.identity }
    var now: Date { configuration.clock.now }
    var logger: Logger { configuration.logger }

    /// Opens the key manager: loads clients, applications, subscriptions and unexpired access tokens into memory.
    /// - Parameters:
    ///   - storage: The repositories.
    ///   - configuration: Validity periods, hashing, clock.
    /// - Throws: ``KeyManagerConfigurationError`` for identity settings that cannot issue live tokens; storage errors.
    public init(storage: any KeyManagerStorage, configuration: KeyManagerConfiguration) async throws {
        let problems = configuration.identity.problems
        guard problems.isEmpty else { throw KeyManagerConfigurationError(problems: problems) }
        self.storage = storage
        self.configuration = configuration
        self.loginThrottle = LoginThrottle(configuration: configuration.loginThrottle, clock: configuration.clock)
        let validationService = KeyValidationService(
            clock: configuration.clock,
            timestampSkew: configuration.identity.timestampSkew,
            jwtVerifier: try await configuration.tokenSigner?.verifier(issuer: configuration.issuer),
            apiKeyVerifier: try await configuration.tokenSigner?.apiKeyVerifier(issuer: configuration.issuer)
        )
        self.validationService = validationService
        self.clients = ClientDirectory(maximumAge: configuration.clientCacheAge)
        self.tokenMetrics = configuration.metricsFactory.map(TokenMetrics.init)
        let logger = configuration.logger
        self.tokenWrites = TokenWriteBatcher(
            persistence: configuration.tokenPersistence,
            clock: configuration.tokenWriteClock,
            write: { [storage] records in try await storage.insertTokens(records) },
            lost: { records, error in
                // Handed out but not stored: revoked in memory too, so memory and storage agree (their holders
                // get 401 and ask again, as after a crash).
                validationService.revoke { index in
                    records.flatMap { index.revokeFamily($0.familyID) }
                }
                logger.error(
                    "Issued tokens could not be stored and are revoked",
                    metadata: ["sluice.km.tokens": "\(records.count)", "sluice.error": "\(String(describing: error))"]
                )
            }
        )
        try await loadIndex(replacingCurrent: false)
    }

    /// Rebuilds the in-memory index from storage, after another process wrote to the database. Pollers of
    /// ``KeyValidationService/revocations(since:)`` are told to flush their caches.
    public func reloadIndex() async throws {
        apiScopes.invalidate()
        clients.invalidateAll()
        try await loadIndex(replacingCurrent: true)
    }

    /// Tells the key manager that stored APIs changed, so the scopes they declare and the roles bound to them are
    /// read again before the next grant. The publisher calls it after every write.
    public func apiScopesChanged() {
        apiScopes.invalidate()
    }

    /// Returns once every token issued so far is stored (tokens are written behind their answer by default).
    /// Readers of stored tokens call it first; the node calls it when shutting down.
    public func flushTokenWrites() async {
        await tokenWrites.flush()
    }

    private func loadIndex(replacingCurrent: Bool) async throws {
        var index = try await KeyValidationIndex.load(from: storage, now: now)
        validationService.update { current in
            if replacingCurrent { index.continueGenerations(after: current.revocationGeneration) }
            current = index
        }
        logger.info(
            "Key validation index loaded",
            metadata: [
                "sluice.km.applications": "\(index.applicationCount)", "sluice.km.tokens": "\(index.tokens.count)",
                "sluice.km.subscriptions": "\(index.subscriptionCount)",
            ]
        )
    }

    // MARK: - Client authentication

    /// Checks a client's consumer key and secret.
    /// - Parameters:
    ///   - credentials: The presented key and secret.
    ///   - address: The caller's address, for the ``loginThrottle``; nil for in-process callers.
    /// - Returns: The client's record.
    /// - Throws: ``OAuth2Error`` `invalid_client` when unknown, revoked or the secret is wrong; ``LoginThrottled``.
    public func authenticateClient(_ credentials: ClientCredentials, from address: String? = nil) async throws
        -> ConsumerKeyRecord
    {
        try await authenticatedClient(credentials, from: address).client
    }

    /// Checks a client's consumer key and secret, from memory when the client is held there (``ClientDirectory``).
    /// - Returns: The client with its application.
    func authenticatedClient(_ credentials: ClientCredentials, from address: String?) async throws
        -> ClientDirectory.Entry
    {
        let entry = try await throttled("client:" + credentials.consumerKey, from: address, secret: .clientSecret) {
            () async throws -> ClientDirectory.Entry? in
            let presented = SecretGenerator.hash(credentials.consumerSecret)
            if let held = clients.entry(credentials.consumerKey, now: now), Self.accepts(held, presented, at: now) {
                return held
            }
            // Not held, or held with another secret or state (changed elsewhere, perhaps): storage decides.
            guard let entry = try await clientEntry(credentials.consumerKey, fromMemory: false) else {
                // Same work as a known key, so the answer time does not reveal which keys exist.
                _ = SecretGenerator.constantTimeEquals(presented, Data(repeating: 0, count: presented.count))
                throw OAuth2Error.invalidClient
            }
            guard Self.accepts(entry, presented, at: now) else { throw OAuth2Error.invalidClient }
            return entry
        }
        // The check answers a client or throws.
        guard let entry else { throw OAuth2Error.invalidClient }
        return entry
    }

    /// Whether the client is active and `presented` is the hash of its own secret or of one of its live further
    /// secrets: each compared in constant time, all of them compared, so the answer time tells nothing of which.
    private static func accepts(_ entry: ClientDirectory.Entry, _ presented: Data, at now: Date) -> Bool {
        var matched = SecretGenerator.constantTimeEquals(presented, entry.client.secretHash)
        for secret in entry.secrets {
            let equal = SecretGenerator.constantTimeEquals(presented, secret.secretHash)
            matched = (equal && secret.isLive(at: now)) || matched
        }
        return matched && entry.client.state == "ACTIVE"
    }

    /// A client with its application: from memory when held and `fromMemory`, otherwise from storage, then held.
    /// Loading one also indexes it for validation: another process (the CLI) may have created it.
    /// - Returns: Nil for an unknown key or one whose application is gone.
    func clientEntry(_ consumerKey: String, fromMemory: Bool = true) async throws -> ClientDirectory.Entry? {
        if fromMemory, let held = clients.entry(consumerKey, now: now) { return held }
        let generation = clients.generation
        guard let client = try await storage.consumerKey(consumerKey),
            let application = try await storage.application(id: client.applicationID)
        else { return nil }
        let secrets = try await storage.consumerSecrets(consumerKey: consumerKey)
        let entry = ClientDirectory.Entry(client: client, application: application, secrets: secrets, loadedAt: now)
        validationService.update { index in
            index.upsert(application)
            index.upsert(client)
        }
        clients.store(entry, ifUnchangedSince: generation)
        return entry
    }

    /// Runs a credential check for `identity` through the ``loginThrottle`` when the caller has an address: a
    /// refused attempt checks nothing; a nil answer or an `invalid_client` counts as a failure.
    /// - Parameter check: Returns the authenticated party, nil or throws `invalid_client` when the credentials
    ///   are wrong.
    func throttled<T>(
        _ identity: String,
        from address: String?,
        secret: LoginThrottle.Secret,
        _ check: () async throws -> T?
    ) async throws -> T? {
        guard let address else { return try await check() }
        if case .refused(let retryAfter) = loginThrottle.attempt(identity, from: address, secret: secret) {
            logger.notice("Credential check refused by the login throttle", metadata: ["sluice.client": "\(address)"])
            throw LoginThrottled(retryAfter: retryAfter)
        }
        let result: T?
        do {
            result = try await check()
        } catch let error as OAuth2Error where error.code == .invalidClient {
            loginThrottle.finish(identity, from: address, secret: secret, outcome: .failure)
            throw error
        } catch {
            loginThrottle.finish(identity, from: address, secret: secret, outcome: .unknown)
            throw error
        }
        loginThrottle.finish(identity, from: address, secret: secret, outcome: result == nil ? .failure : .success)
        return result
    }

    // MARK: - Helpers

    /// Whether a token with this expiry is past it, `TimestampSkew` seconds early.
    func isExpired(_ expiresAt: Date?) -> Bool {
        guard let expiresAt else { return false }
        return now >= expiresAt.addingTimeInterval(-TimeInterval(identity.timestampSkew))
    }
}
