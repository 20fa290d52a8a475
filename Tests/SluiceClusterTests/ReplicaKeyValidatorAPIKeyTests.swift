import Logging
import SluiceCluster
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import Testing

/// API keys on a gateway node of a PostgreSQL cluster: keys are not stored, so a node whose index has no verifier
/// (it lacks the key manager's signing key) asks the key manager instead of refusing every key; without a key
/// manager to ask the key is refused, never let through.
@Suite struct ReplicaKeyValidatorAPIKeyTests {
    struct KeyManagerStub: KeyValidator {
        func validate(_ request: KeyValidationRequest) async -> KeyValidationResult {
            guard request.isAPIKey, request.accessToken == "the-key" else { return .denied(.invalidCredentials) }
            return KeyValidationResult(authorized: true, applicationID: "app-1", keyType: .production)
        }
    }

    static func request(_ key: String) -> KeyValidationRequest {
        KeyValidationRequest(
            accessToken: key, apiContext: "/orders/1.0.0", apiVersion: "1.0.0", resource: "/menu", httpMethod: "GET",
            credential: .apiKey
        )
    }

    @Test func aNodeThatCannotVerifyAnAPIKeyAsksTheKeyManager() async throws {
        let replica = KeyValidationReplica(service: KeyValidationService(timestampSkew: 0), storage: try SQLiteStorage.inMemory())
        let follower = ClusterFollower(
            repository: InMemoryClusterLog(),
            handlers: [replica],
            configuration: .init(batchSize: 100),
            logger: Logger(label: "cluster-test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let asking = ReplicaKeyValidator(replica: replica, follower: follower, keyManager: KeyManagerStub())
        #expect(await asking.validate(Self.request("the-key")).applicationID == "app-1")
        #expect(await asking.validate(Self.request("forged")).errorCode == .invalidCredentials)
        let alone = ReplicaKeyValidator(replica: replica, follower: follower, keyManager: nil)
        let refused = await alone.validate(Self.request("the-key"))
        #expect(!refused.authorized && refused.errorCode == .invalidCredentials)
    }
}
