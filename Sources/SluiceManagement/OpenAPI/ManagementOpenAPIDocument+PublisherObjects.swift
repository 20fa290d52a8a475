extension ManagementOpenAPIDocument {
    /// The publisher operations of issue #21's first part, area by area (one file each).
    static var publisherObjectOperations: [Operation] { sharedScopeOperations + operationPolicyOperations }

    /// Their request bodies.
    static var publisherObjectSchemas: [String: Any] {
        sharedScopeSchemas.merging(operationPolicySchemas) { current, _ in current }
    }
}
