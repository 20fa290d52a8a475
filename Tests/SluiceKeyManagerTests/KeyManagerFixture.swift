import Foundation
import SluiceJWT
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import SluiceTesting

/// A key manager on an in-memory database with an admin, a subscriber `alice`, her application with
/// production and sandbox keys, and a subscription to `/shop/1.0`.
struct KeyManagerFixture {
    static let identity = IdentitySettings(
        applicationAccessTokenValidity: 1200,
        userAccessTokenValidity: 1800,
        refreshTokenValidity: 7200,
        timestampSkew: 60
    )

    let clock = ManualWallClock()
    let storage: SQLiteStorage
    let keyManager: KeyManager
    let application: ApplicationRecord
    let production: GeneratedKeys
    let sandbox: GeneratedKeys
    let subscription: SubscriptionRecord

    init(
        identity: IdentitySettings = KeyManagerFixture.identity,
        storage: SQLiteStorage? = nil,
        signer: TokenSigner? = nil,
        tokenWriteClock: any Clock<Duration> = ContinuousClock()
    ) async throws {
        self.storage = try storage ?? SQLiteStorage.inMemory()
        keyManager = try await KeyManager(
            storage: self.storage,
            configuration: KeyManagerConfiguration(
                identity: identity,
                passwordHasher: .insecureForTesting(iterations: 10),
                clock: clock,
                tokenSigner: signer,
                tokenWriteClock: tokenWriteClock
            )
        )
        _ = try await keyManager.bootstrap(adminPassword: "admin-secret")
        try await keyManager.createUser(username: "alice", password: "alice-pass", roles: ["Internal/subscriber"])
        application = try await keyManager.createApplication(name: "Shop", owner: "alice", throttlingTier: "Large")
        production = try await keyManager.generateKeys(applicationID: application.id, keyType: .production)
        sandbox = try await keyManager.generateKeys(applicationID: application.id, keyType: .sandbox)
        subscription = try await keyManager.subscribe(
            applicationID: application.id,
            to: APIKey(context: "/shop", version: "1.0"),
            apiName: "Shop",
            tier: "Gold"
        )
        // Scopes anyone may obtain, as an API declares them with no role bindings.
        try await declare(["orders:read": [], "orders:write": []])
    }

    /// Stores an API declaring `scopes` (name → roles bound to it) in the publisher's stored form, so the key
    /// manager grants them by role.
    func declare(_ scopes: [String: [String]], api name: String = "Orders", version: String = "1.0") async throws {
        let declarations: [[String: Any]] = scopes.keys.sorted().map { ["scope": ["name": $0, "bindings": scopes[$0]!]] }
        let context = "/" + name.lowercased()
        let document: [String: Any] = [
            "definition": ["name": name, "context": context, "version": version, "scopes": declarations],
            "gatewayDeployed": false,
        ]
        try await storage.createAPI(
            APIRecord(
                id: UUID().uuidString,
                provider: "admin",
                name: name,
                version: version,
                context: context,
                definition: try JSONSerialization.data(withJSONObject: document),
                createdAt: clock.now,
                updatedAt: clock.now
            ),
            actor: "admin"
        )
        keyManager.apiScopesChanged()
    }

    var productionCredentials: ClientCredentials {
        ClientCredentials(consumerKey: production.consumerKey, consumerSecret: production.consumerSecret)
    }

    var sandboxCredentials: ClientCredentials {
        ClientCredentials(consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret)
    }

    func passwordToken(scopes: [String]? = nil, credentials: ClientCredentials? = nil) async throws -> TokenResponse {
        try await keyManager.token(
            for: TokenRequest(grant: .password(username: "alice", password: "alice-pass"), scopes: scopes),
            credentials: credentials ?? productionCredentials
        )
    }

    func validate(_ token: String, context: String = "/shop/1.0", scopes: [String] = []) -> KeyValidationResult {
        keyManager.validationService.validate(
            KeyValidationRequest(
                accessToken: token,
                apiContext: context,
                apiVersion: "1.0",
                resource: "/items",
                httpMethod: "GET",
                requiredScopes: scopes
            )
        )
    }
}
