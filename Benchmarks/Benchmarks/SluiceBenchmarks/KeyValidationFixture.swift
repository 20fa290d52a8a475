import Foundation
import Logging
import NIOPosix
import SluiceKeyManager
import SluiceModel
import SluiceSecurity
import SluiceStorage

/// A key manager on an in-memory database with one application subscribed to `/pizzashack/1.0.0`, a
/// client-credentials token for it, and a gateway-side validation cache in front of its validation service.
struct KeyValidationFixture: Sendable {
    let keyManager: KeyManager
    let cache: KeyValidationCache
    let request: KeyValidationRequest
    static let apiScope = "/pizzashack/1.0.0:1.0.0"

    init() async throws {
        var quiet = Logger(label: "sluice.benchmarks.keymanager")
        quiet.logLevel = .critical
        keyManager = try await KeyManager(
            storage: try SQLiteStorage.inMemory(),
            configuration: KeyManagerConfiguration(passwordHasher: .insecureForTesting(iterations: 10), logger: quiet)
        )
        _ = try await keyManager.bootstrap(adminPassword: "Bench-Admin-1")
        try await keyManager.createUser(username: "alice", password: "Alice-Pass-1", roles: ["Internal/subscriber"])
        let application = try await keyManager.createApplication(name: "Bench", owner: "alice")
        let keys = try await keyManager.generateKeys(applicationID: application.id, keyType: .production)
        _ = try await keyManager.subscribe(
            applicationID: application.id,
            to: APIKey(context: "/pizzashack/1.0.0", version: "1.0.0"),
            apiName: "PizzaShackAPI",
            tier: "Gold"
        )
        let token = try await keyManager.token(
            for: TokenRequest(grant: .clientCredentials),
            credentials: ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
        )
        request = KeyValidationRequest(
            accessToken: token.accessToken,
            apiContext: "/pizzashack/1.0.0",
            apiVersion: "1.0.0",
            resource: "/menu",
            httpMethod: "GET"
        )
        guard keyManager.validationService.validate(request).authorized else {
            fatalError("the key validation fixture's token is not authorized")
        }
        cache = KeyValidationCache(
            validator: keyManager.validationService,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton
        )
        // The first lookup misses and fills the cache; every measured lookup is then a hit.
        if case .pending(let filled) = cache.lookup(request, apiScope: Self.apiScope) {
            try await filled.get()
        }
        guard case .hit(let result) = cache.lookup(request, apiScope: Self.apiScope), result.authorized else {
            fatalError("the key validation cache was not filled")
        }
    }
}
