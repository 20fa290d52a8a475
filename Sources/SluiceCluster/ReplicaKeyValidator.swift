import SluiceKeyManager
public import SluiceModel

/// Key validation on a gateway of a cluster: answers from the node's ``KeyValidationReplica``; a token the
/// replica does not know (issued a moment ago, before its change arrived) is looked up in the shared database,
/// and when the database cannot be reached, asked of the key manager when one is configured, else refused.
/// A token is never let through unchecked. API keys, which only the key manager's signing key can check, go to the
/// key manager when this node's index cannot verify them.
///
/// Put it behind a `KeyValidationCache`, so only the first call with a token gets here.
public struct ReplicaKeyValidator: KeyValidator {
    private let replica: KeyValidationReplica
    private let follower: ClusterFollower
    private let keyManager: (any KeyValidator)?

    /// Creates a validator.
    /// - Parameters:
    ///   - replica: The node's index.
    ///   - follower: Orders look-ups with the changes being applied.
    ///   - keyManager: Asked when the database is away (e.g. a `RemoteKeyValidator`); nil refuses then.
    public init(replica: KeyValidationReplica, follower: ClusterFollower, keyManager: (any KeyValidator)?) {
        self.replica = replica
        self.follower = follower
        self.keyManager = keyManager
    }

    public func validate(_ request: KeyValidationRequest) async -> KeyValidationResult {
        // A gateway node without the key manager's signing key cannot check an API key's signature (keys are not
        // stored, so the database cannot tell either): the key manager decides, and revocations still reach the
        // node's cache through the cluster log.
        if request.isAPIKey, replica.service.apiKeyVerifier == nil {
            guard let keyManager else { return .denied(.invalidCredentials) }
            return await keyManager.validate(request)
        }
        let answer = replica.service.validate(request)
        guard answer.errorCode == .invalidCredentials else { return answer }
        let hash = SecretGenerator.hash(request.accessToken)
        do {
            let replica = self.replica
            guard try await follower.perform({ try await replica.fetchToken(hash: hash) }) else { return answer }
            return replica.service.validate(request)
        } catch {
            // The database is away (or too many look-ups wait): only the key manager can tell now.
            guard let keyManager else { return KeyValidationResult(authorized: false) }
            return await keyManager.validate(request)
        }
    }
}
