import HummingbirdTesting
import Logging
import NIOPosix
import SluiceKeyManager
import SluiceManagement
import SluiceMediation
import SluiceModel
import SluiceStorage
import Testing

@testable import SluiceSecurity

/// A split gateway's validation path against the real management app on loopback.
@Suite(.timeLimit(.minutes(1))) struct RemoteKeyValidatorTests {
    @Test func validatesThroughTheManagementAppAndLearnsRevocations() async throws {
        let storage = try SQLiteStorage.inMemory()
        let keyManager = try await KeyManager(storage: storage, configuration: KeyManagerConfiguration())
        _ = try await keyManager.bootstrap(adminUsername: "admin", adminPassword: "admin-secret")
        let application = try await keyManager.createApplication(name: "Shop", owner: "admin")
        let keys = try await keyManager.generateKeys(applicationID: application.id, keyType: .production)
        _ = try await keyManager.subscribe(
            applicationID: application.id, to: APIKey(context: "/pizzashack", version: "1.0.0"), tier: "Gold"
        )
        let credentials = ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
        let token = try await keyManager.token(for: TokenRequest(grant: .clientCredentials), credentials: credentials)
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
