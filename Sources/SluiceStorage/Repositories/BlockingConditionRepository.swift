public import SluiceModel

/// The administrators' deny policies (WSO2's blocking conditions).
public protocol BlockingConditionRepository: Sendable {
    /// Stores a new condition.
    /// - Throws: ``StorageError/duplicate(_:)`` when a condition of that kind and value exists.
    func createBlockingCondition(_ condition: BlockingCondition) async throws
    /// Every condition, enabled or not, oldest first.
    func blockingConditions() async throws -> [BlockingCondition]
    /// Enables or disables a condition.
    /// - Returns: The condition as stored now, or nil when unknown.
    func setBlockingCondition(id: String, enabled: Bool) async throws -> BlockingCondition?
    /// Deletes a condition.
    /// - Returns: False when unknown.
    func deleteBlockingCondition(id: String) async throws -> Bool
}
