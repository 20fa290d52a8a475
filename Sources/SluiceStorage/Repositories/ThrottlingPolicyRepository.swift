public import SluiceModel

/// Throttling policies an administrator defined, per level (they add to or override the tier files).
public protocol ThrottlingPolicyRepository: Sendable {
    /// Stores a new policy.
    /// - Throws: ``StorageError/duplicate(_:)`` when the level already has a policy of that name.
    func createPolicy(_ policy: ThrottleTier, level: TierLevel) async throws
    /// Replaces a policy.
    /// - Throws: ``StorageError/notFound(_:)`` when the level has no policy of that name.
    func updatePolicy(_ policy: ThrottleTier, level: TierLevel) async throws
    /// Deletes a policy.
    /// - Returns: False when it did not exist.
    func deletePolicy(named name: String, level: TierLevel) async throws -> Bool
    /// The policies of one level ordered by name.
    func policies(level: TierLevel) async throws -> [ThrottleTier]
}
