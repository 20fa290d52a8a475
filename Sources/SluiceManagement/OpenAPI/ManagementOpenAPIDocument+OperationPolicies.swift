extension ManagementOpenAPIDocument {
    /// WSO2 v4's operation policies, common and API-specific.
    static let operationPolicyOperations: [Operation] = {
        typealias Rules = OperationPoliciesController
        let common = "\(publisher)/operation-policies"
        let api = "\(publisher)/apis/{apiId}/operation-policies"
        return [
            op("GET", common, "Common operation policies, built-in ones first (query: name:, version:)", .anyScope(Rules.commonViewScopes)),
            op(
                "POST", common, "Add a common policy: a form with policySpecFile and synapsePolicyDefinitionFile",
                .anyScope(Rules.commonManageScopes), body: "OperationPolicyUpload"
            ),
            op("GET", "\(common)/export", "A common policy as a zip archive (name, version, format)", .anyScope(Rules.importExportScopes)),
            op(
                "POST", "\(common)/import", "Add a common policy from a zip archive: a form with file",
                .anyScope(Rules.importExportScopes), body: "APIImport", status: "200"
            ),
            op("GET", "\(common)/{operationPolicyId}", "One common policy (404 902010)", .anyScope(Rules.commonViewScopes)),
            op("DELETE", "\(common)/{operationPolicyId}", "Delete a common policy (not a built-in one)", .anyScope(Rules.commonDeleteScopes)),
            op("GET", "\(common)/{operationPolicyId}/content", "A common policy as a zip archive", .anyScope(Rules.commonViewScopes)),
            op("GET", api, "The API's own operation policies", .anyScope(Rules.apiViewScopes)),
            op(
                "POST", api, "Add a policy of the API: a form with policySpecFile and synapsePolicyDefinitionFile",
                .anyScope(Rules.apiManageScopes), body: "OperationPolicyUpload"
            ),
            op("GET", "\(api)/{operationPolicyId}", "A policy of the API, or a common one", .anyScope(Rules.apiViewScopes)),
            op("DELETE", "\(api)/{operationPolicyId}", "Delete a policy of the API its operations do not use", .anyScope(Rules.apiManageScopes)),
            op("GET", "\(api)/{operationPolicyId}/content", "A policy of the API as a zip archive", .anyScope(Rules.apiViewScopes)),
        ]
    }()

    static var operationPolicySchemas: [String: Any] {
        [
            "OperationPolicyUpload": object(
                ["policySpecFile", "synapsePolicyDefinitionFile"],
                ["policySpecFile": "string", "synapsePolicyDefinitionFile": "string", "ccPolicyDefinitionFile": "string"]
            )
        ]
    }
}
