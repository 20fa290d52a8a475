extension ManagementOpenAPIDocument {
    /// The publisher operations of issue #21's first part, area by area (one file each).
    static var publisherObjectOperations: [Operation] { sharedScopeOperations }

    /// Their request bodies.
    static var publisherObjectSchemas: [String: Any] { sharedScopeSchemas }
}
