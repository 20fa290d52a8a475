import HummingbirdTesting
import Logging
import NIOPosix
import SluiceJWT
import SluiceKeyManager
import SluiceManagement
import SluiceMediation
import SluiceModel
import SluiceStorage
import Synchronization
import Testing

@testable import SluiceSecurity

/// A split gateway's validation path against the real management app on loopback.
@Suite(.timeLimit(.minutes(1))) struct RemoteKeyValidatorTests {
    /// A key manager with admin `admin`/`admin-secret`, an application subscribed to PizzaShack 1.0.0 (Gold) and a
    /// client_credentials token of its production keys.
    static func subscribedClient(_ configuration: KeyManagerConfiguration = KeyManagerConfiguration()) async throws
        -> (KeyManager, ApplicationRecord, ClientCredentials, TokenResponse)
    {
        let keyManager = try await KeyManager(storage: try SQLiteStorage.inMemory(), configuration: configuration)
        _ = try await keyManager.bootstrap(adminUsername: "admin", adminPassword: "admin-secret")
        let application = try await keyManager.createApplication(name: "Shop", owner: "admin")
        let keys = try await keyManager.generateKeys(applicationID: application.id, keyType: .production)
        _ = try await keyManager.subscribe(
            applicationID: application.id, to: APIKey(context: "/pizzashack", version: "1.0.0"), tier: "Gold"
        )
        let credentials = ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
        let token = try await keyManager.token(for: TokenRequest(grant: .clientCredentials), credentials: credentials)
        return (keyManager, application, credentials, token)
    }

    @Test func validatesThroughTheManagementAppAndLearnsRevocations() async throws {
        let (keyManager, application, credentials, token) = try await Self.subscribedClient()
        let app = buildManagementApplication(
            keyManager: keyManager, configuration: ManagementConfiguration(host: "127.0.0.1", port: 0)
        )
        try await app.test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let validator = RemoteKeyValidator(baseURL: base, username: "admin", password: "admin-secret")
            let request = KeyValidationRequest(
                accessToken: token.accessToken, apiContext: "/pizzashack/1.0.0", apiVersion: "1.0.0",
                resource: "/menu", httpMethod: "GET"
            )
            let answer = await validator.validate(request)
            #expect(answer.authorized)
            #expect(answer.applicationID == application.id)
            #expect(answer.subscriptionTier == "Gold")

            var wrongToken = request
            wrongToken.accessToken = "nope"
            #expect(await validator.validate(wrongToken).errorCode == .invalidCredentials)
            let intruder = RemoteKeyValidator(baseURL: base, username: "admin", password: "wrong")
            let refused = await intruder.validate(request)
            #expect(!refused.authorized && refused.errorCode == nil)

            let cache = KeyValidationCache(validator: validator, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let feed = RevocationFeedService(validator: validator, cache: cache, logger: logger)
            try await feed.poll()
            let handler = APIAuthenticationHandler(source: .cached(cache))
            let resource = DispatchedResource(
                apiName: "admin--PizzaShack", context: "/pizzashack/1.0.0", version: "1.0.0", resourceTemplate: "/menu"
            )
            func call() async throws -> Int? {
                var context = MessageContext(
                    method: "GET", requestPath: "/pizzashack/1.0.0/menu", headers: ["Authorization": "Bearer " + token.accessToken]
                )
                for _ in 0..<3 {
                    switch handler.handleRequest(&context, resource: resource) {
                    case .suspend(let future): try await future.get()
                    case .proceed: return 200
                    default: return context.statusCode
                    }
                }
                return nil
            }
            #expect(try await call() == 200)
            #expect(cache.count == 1)
            try await keyManager.revoke(token: token.accessToken, tokenTypeHint: nil, credentials: credentials)
            // Still cached until the feed reports the revocation.
            #expect(try await call() == 200)
            try await feed.poll()
            #expect(cache.count == 0)
            #expect(try await call() == 401)
        }
    }

    @Test func aSplitGatewayLoadsTheSigningKeysAndChecksJWTsItself() async throws {
        let signer = try await KeyValidationCacheJWTTests.signer()
        let issuer = "https://km.example.com:9443/oauth2/token"
        let (keyManager, _, credentials, token) = try await Self.subscribedClient(
            KeyManagerConfiguration(tokenSigner: signer, issuer: issuer)
        )
        #expect(token.accessToken.split(separator: ".").count == 3)
        let app = buildManagementApplication(
            keyManager: keyManager, configuration: ManagementConfiguration(host: "127.0.0.1", port: 0)
        )
        try await app.test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let validator = RemoteKeyValidator(baseURL: base, username: "admin", password: "admin-secret")
            let verifier = try await validator.accessTokenVerifier()
            #expect(verifier.issuer == issuer)
            guard case .success(let verified) = verifier.verify(token.accessToken, now: 0) else {
                Issue.record("the key manager's published key verifies its token")
                return
            }
            #expect(verified.claims.clientID == credentials.consumerKey)

            let counting = CountingRemote(validator)
            let cache = KeyValidationCache(validator: counting, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let refresh = SigningKeyRefreshService(validator: validator, cache: cache, logger: logger)
            #expect(await refresh.refresh())
            #expect(cache.verifiesJWTs)
            let request = KeyValidationRequest(
                accessToken: token.accessToken, apiContext: "/pizzashack/1.0.0", apiVersion: "1.0.0",
                resource: "/menu", httpMethod: "GET"
            )
            func resolve(_ request: KeyValidationRequest) async throws -> KeyValidationResult? {
                for _ in 0..<3 {
                    switch cache.lookup(request, apiScope: "/pizzashack/1.0.0:1.0.0") {
                    case .hit(let result): return result
                    case .pending(let future): try await future.get()
                    }
                }
                return nil
            }
            for _ in 0..<3 { #expect(try await resolve(request)?.authorized == true) }
            #expect(counting.calls.withLock { $0 } == 1)
            var forged = request
            forged.accessToken = String(token.accessToken.dropLast(2)) + (token.accessToken.hasSuffix("AA") ? "BB" : "AA")
            #expect(try await resolve(forged)?.errorCode == .invalidCredentials)
            #expect(counting.calls.withLock { $0 } == 1)

            // A key manager that cannot be reached leaves the keys already loaded in place.
            let gone = RemoteKeyValidator(baseURL: "http://127.0.0.1:1", username: "a", password: "b", timeout: .seconds(2))
            #expect(await !SigningKeyRefreshService(validator: gone, cache: cache, logger: logger).refresh())
            #expect(cache.verifiesJWTs)
        }
    }

    @Test func unreachableKeyManagerIs900900() async throws {
        let validator = RemoteKeyValidator(baseURL: "http://127.0.0.1:1", username: "a", password: "b", timeout: .seconds(2))
        let handler = APIAuthenticationHandler(
            source: .immediate { _ in KeyValidationResult(authorized: false) }
        )
        let answer = await validator.validate(
            KeyValidationRequest(accessToken: "t", apiContext: "/a", apiVersion: "1", resource: "/", httpMethod: "GET")
        )
        #expect(!answer.authorized && answer.errorCode == nil)
        var context = MessageContext(method: "GET", requestPath: "/a/1/", headers: ["Authorization": "Bearer t"])
        _ = handler.handleRequest(
            &context, resource: DispatchedResource(apiName: "a", context: "/a/1", version: "1", resourceTemplate: "/*")
        )
        #expect(context.statusCode == 500)
        #expect(context[property: "ERROR_CODE"] == .integer(900900))
    }
}

/// Counts the calls that reach the real remote key manager client.
final class CountingRemote: KeyValidator {
    let calls = Mutex(0)
    private let remote: RemoteKeyValidator

    init(_ remote: RemoteKeyValidator) {
        self.remote = remote
    }

    func validate(_ request: KeyValidationRequest) async -> KeyValidationResult {
        calls.withLock { $0 += 1 }
        return await remote.validate(request)
    }
}
