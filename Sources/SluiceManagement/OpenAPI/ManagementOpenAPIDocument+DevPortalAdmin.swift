extension ManagementOpenAPIDocument {
    /// The devportal and admin operations of issue #21's second part, area by area (one file each).
    static var devportalAdminOperations: [Operation] { importExportOperations + secretOperations + denyPolicyOperations }

    /// Their request bodies.
    static var devportalAdminSchemas: [String: Any] {
        importExportSchemas.merging(secretSchemas) { current, _ in current }
            .merging(denyPolicySchemas) { current, _ in current }
    }
}
