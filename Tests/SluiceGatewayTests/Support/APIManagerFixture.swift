import AsyncHTTPClient
import Foundation
import NIOHTTP1
import SluiceAnalytics
import SluiceGateway
import SluiceGatewayHandlers
import SluiceJWT
import SluiceKeyManager
import SluiceMediation
import SluiceModel
import SluiceSecurity
import SluiceStorage
import SluiceTesting
import SluiceThrottling
import Synchronization

/// A gateway with WSO2's handler chain in front of an in-process backend, with a real key manager over an
/// in-memory database issuing the tokens, and a manual throttle clock.
final class APIManagerFixture: Sendable {
    let keyManager: KeyManager
    let storage: SQLiteStorage
    let gateway: GatewayHarness
    let backend: TestHTTPBackend
    let queue: UsageEventQueue
    let rollups: UsageRollupAggregator
    let metrics: UsageMetrics
    let statuses: APIStatusRegistry
    let clock: ManualThrottleClock
    let catalog: ThrottleTierCatalog
    /// The key manager's clock: moving it expires tokens.
    let wallClock: ManualWallClock

    static let api = APIKey(context: "/pizzashack", version: "1.0.0")

    /// The 2.x handler chain the publisher writes, with a hard limit for PRODUCTION keys.
    static let handlers = """
        <handlers>
          <handler class="org.wso2.carbon.apimgt.gateway.handlers.common.APIMgtLatencyStatsHandler"/>
          <handler class="org.wso2.carbon.apimgt.gateway.handlers.security.CORSRequestHandler">
            <property name="apiImplementationType" value="ENDPOINT"/>
            <property name="allowHeaders" value="authorization,Content-Type"/>
            <property name="allowedOrigins" value="https://shop.example"/>
            <property name="allowedMethods" value="GET,POST"/>
            <property name="AllowCredentials" value="true"/>
          </handler>
          <handler class="org.wso2.carbon.apimgt.gateway.handlers.security.APIAuthenticationHandler"/>
          <handler class="org.wso2.carbon.apimgt.gateway.handlers.throttling.ThrottleHandler">
            <property name="productionMaxCount" value="50"/>
          </handler>
          <handler class="org.wso2.carbon.apimgt.gateway.handlers.analytics.APIMgtUsageHandler"/>
          <handler class="org.wso2.carbon.apimgt.gateway.handlers.analytics.APIMgtGoogleAnalyticsTrackingHandler"/>
          <handler class="org.wso2.carbon.apimgt.gateway.handlers.ext.APIManagerExtensionHandler"/>
        </handlers>
        """

    private init(
        keyManager: KeyManager, storage: SQLiteStorage, gateway: GatewayHarness, backend: TestHTTPBackend,
        queue: UsageEventQueue, rollups: UsageRollupAggregator, metrics: UsageMetrics, statuses: APIStatusRegistry, clock: ManualThrottleClock,
        catalog: ThrottleTierCatalog, wallClock: ManualWallClock
    ) {
        self.keyManager = keyManager
        self.storage = storage
        self.gateway = gateway
        self.backend = backend
        self.queue = queue
        self.rollups = rollups
        self.metrics = metrics
        self.statuses = statuses
        self.clock = clock
        self.catalog = catalog
        self.wallClock = wallClock
    }

    /// Starts backend, key manager and gateway with the PizzaShack API.
    /// - Parameters:
    ///   - queueCapacity: Usage queue size.
    ///   - sequences: Named sequences to deploy too, by name (`sequences/<name>.xml`).
    ///   - trustedProxies: Whose `X-Forwarded-For` the gateway believes; loopback by default, so tests can play
    ///     several clients through the test client's header.
    ///   - signer: Signs JWT access tokens (applications are JWT by default); nil issues opaque tokens only.
    ///   - backendJWT: Makes the JWT sent to the backend (and its key served at `/jwks`); nil sends none.
    ///   - accessLog: The gateway's access log and correlation ids; nil: off.
    static func start(
        queueCapacity: Int = 1_000,
        sequences: [String: String] = [:],
        trustedProxies: [String] = ["127.0.0.1"],
        signer: TokenSigner? = nil,
        backendJWT: BackendJWTIssuer? = nil,
        accessLog: GatewayAccessLog? = nil
    ) async throws -> APIManagerFixture {
        let backend = try await TestHTTPBackend.start()
        let storage = try SQLiteStorage.inMemory()
        let wallClock = ManualWallClock(Date())
        let keyManager = try await KeyManager(
            storage: storage,
            configuration: KeyManagerConfiguration(
                passwordHasher: .insecureForTesting(iterations: 10),
                clock: wallClock,
                tokenSigner: signer
            )
        )
        try await declareScopes(["order:write"], in: storage)
        let queue = UsageEventQueue(capacity: queueCapacity)
        let rollups = UsageRollupAggregator()
        let metrics = UsageMetrics()
        let statuses = APIStatusRegistry()
        let clock = ManualThrottleClock(startingAt: 1_578_502_680_000)
        let catalog = ThrottleTierCatalog()
        let validation = keyManager.validationService
        let registry = GatewayHandlerRegistry.apiManager(
            keyValidation: .immediate { validation.validate($0) },
            throttle: ThrottleEngine(catalog: catalog, clock: clock),
            usage: UsageRecorder(rollups: rollups, queue: queue, metrics: metrics),
            statuses: statuses,
            backendJWT: backendJWT
        )
        let endpoint = Artifact.address(backend.baseURL)
        let resources = """
            <resource methods="GET OPTIONS" url-mapping="/menu">
              <inSequence><send>\(endpoint)</send></inSequence><outSequence><send/></outSequence>
            </resource>
            <resource methods="POST" uri-template="/order" scopes="order:write" throttling-tier="Plus">
              <inSequence><send>\(endpoint)</send></inSequence><outSequence><send/></outSequence>
            </resource>
            <resource methods="GET" url-mapping="/app-only" auth-type="Application">
              <inSequence><send>\(endpoint)</send></inSequence><outSequence><send/></outSequence>
            </resource>
            <resource methods="GET" url-mapping="/user-only" auth-type="Application User">
              <inSequence><send>\(endpoint)</send></inSequence><outSequence><send/></outSequence>
            </resource>
            <resource methods="GET" url-mapping="/public/*" auth-type="None">
              <inSequence><send>\(endpoint)</send></inSequence><outSequence><send/></outSequence>
            </resource>
            """
        var files = [
            "api/admin--PizzaShackAPI_v1.0.0.xml": Artifact.api(
                name: "admin--PizzaShackAPI", context: "/pizzashack/{version}", version: "1.0.0",
                resources: resources, handlers: handlers
            )
        ]
        for (name, body) in sequences {
            files["sequences/\(name).xml"] =
                #"<sequence xmlns="http://ws.apache.org/ns/synapse" name="\#(name)">\#(body)</sequence>"#
        }
        let proxies = try TrustedProxies(trustedProxies)
        let keySet = try backendJWT.map { String(decoding: try JSONEncoder().encode($0.keySet), as: UTF8.self) }
        let gateway = try await GatewayHarness.start(
            files: files,
            configure: {
                $0.trustedProxies = proxies
                $0.backendJWKS = keySet
                $0.accessLog = accessLog
            },
            handlerRegistry: registry
        )
        return APIManagerFixture(
            keyManager: keyManager, storage: storage, gateway: gateway, backend: backend, queue: queue, rollups: rollups,
            metrics: metrics, statuses: statuses, clock: clock, catalog: catalog, wallClock: wallClock
        )
    }

    /// Stores the publisher's record of the API declaring `scopes` bound to no role, as the key manager reads
    /// API scopes from there: the artifact's `scopes="order:write"` alone would leave the scope undeclared, and
    /// undeclared scopes are granted to nobody.
    private static func declareScopes(_ scopes: [String], in storage: SQLiteStorage) async throws {
        let declarations = scopes.map { #"{"scope": {"name": "\#($0)", "bindings": []}}"# }.joined(separator: ", ")
        let document = #"{"definition": {"name": "PizzaShackAPI", "context": "/pizzashack", "version": "1.0.0", "#
            + #""scopes": [\#(declarations)]}, "gatewayDeployed": true}"#
        try await storage.createAPI(
            APIRecord(
                id: "pizzashack-1.0.0", provider: "admin", name: "PizzaShackAPI", version: "1.0.0",
                context: api.context, lifecycleState: .published, definition: Data(document.utf8),
                createdAt: Date(), updatedAt: Date()
            ),
            actor: "admin"
        )
    }

    /// An application with PRODUCTION keys, optionally subscribed, and a client_credentials token.
    func application(
        _ name: String,
        tier: String = "Unlimited",
        subscription: String? = "Unlimited",
        scopes: [String]? = nil,
        validity: Int64? = nil
    ) async throws -> (application: ApplicationRecord, keys: GeneratedKeys, token: String, subscription: SubscriptionRecord?) {
        let application = try await keyManager.createApplication(name: name, owner: "alice", throttlingTier: tier)
        let keys = try await keyManager.generateKeys(applicationID: application.id, keyType: .production)
        var record: SubscriptionRecord?
        if let subscription {
            record = try await keyManager.subscribe(applicationID: application.id, to: Self.api, tier: subscription)
        }
        let token = try await keyManager.token(
            for: TokenRequest(grant: .clientCredentials, scopes: scopes, validityPeriod: validity),
            credentials: ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
        )
        return (application, keys, token.accessToken, record)
    }

    /// An application-user token (password grant) for `keys`, acting for a user created here.
    func userToken(_ keys: GeneratedKeys, username: String = "bob") async throws -> String {
        try await keyManager.createUser(username: username, password: username + "-pass", roles: [])
        let token = try await keyManager.token(
            for: TokenRequest(grant: .password(username: username, password: username + "-pass")),
            credentials: ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
        )
        return token.accessToken
    }

    /// `GET /pizzashack/1.0.0<path>` with an optional token and `Accept`.
    func call(
        _ method: HTTPMethod = .GET, _ path: String = "/menu", token: String? = nil, accept: String? = nil,
        headers: [(String, String)] = []
    ) async throws -> TestResponse {
        var all = headers
        if let token { all.append(("Authorization", "Bearer " + token)) }
        if let accept { all.append(("Accept", accept)) }
        return try await HTTPClient.shared.send(method, gateway.baseURL + "/pizzashack/1.0.0" + path, headers: all)
    }

    func stop() async {
        await gateway.stop()
        try? await backend.shutdown()
    }

    /// Starts `stop()` without waiting for it: for `defer`.
    func stopInBackground() {
        gateway.stopInBackground()
        backend.shutdownInBackground()
    }
}
