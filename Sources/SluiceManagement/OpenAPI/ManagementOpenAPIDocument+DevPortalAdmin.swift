import SluiceControlPlane

extension ManagementOpenAPIDocument {
    /// The devportal and admin operations of issue #21's second part, area by area (one file each).
    static var devportalAdminOperations: [Operation] {
        importExportOperations + secretOperations + denyPolicyOperations + applicationOperations + [
            op(
                "GET", "\(admin)/transaction-count",
                "The API calls the gateways counted from startTime to endTime (epoch milliseconds or ISO 8601)",
                .scope("apim:admin")
            ),
            op(
                "GET", "\(admin)/bot-detection-data",
                "What the gateways' bot trap (WSO2's _OpenService_, context /service) recorded, newest first: time, "
                    + "message id, method, headers, body and client address (at most 1,000 records, kept 30 days)",
                .anyScope(BotDetectionService.scopes)
            ),
        ]
    }

    /// Their request bodies.
    static var devportalAdminSchemas: [String: Any] {
        importExportSchemas.merging(secretSchemas) { current, _ in current }
            .merging(denyPolicySchemas) { current, _ in current }
            .merging(applicationSchemas) { current, _ in current }
    }
}
