extension ManagementOpenAPIDocument {
    /// WSO2's shared scopes.
    static let sharedScopeOperations: [Operation] = {
        typealias Rules = SharedScopesController
        let base = "\(publisher)/scopes"
        let manage = Access.anyScope(Rules.manageScopes)
        return [
            op("GET", base, "Shared scopes with their usage counts (limit, offset)", .anyScope(Rules.readScopes)),
            op("POST", base, "Create a shared scope (409 900984 when the name is taken)", manage, body: "Scope"),
            op("GET", "\(base)/{scopeId}", "One shared scope (404 900981)", .anyScope(Rules.readScopes)),
            op("PUT", "\(base)/{scopeId}", "Replace a shared scope's display name, description and bindings", manage, body: "Scope"),
            op("DELETE", "\(base)/{scopeId}", "Delete a shared scope no API uses (409 900985)", manage),
            op("HEAD", "\(base)/{scopeId}", "200 when a scope of that name (or base64url of it) exists", .anyScope(Rules.existsScopes)),
            op("GET", "\(base)/{scopeId}/usage", "The APIs and operations that use a shared scope", .anyScope(Rules.usageScopes)),
        ]
    }()

    static var sharedScopeSchemas: [String: Any] {
        [
            "Scope": object(
                ["name"], ["name": "string", "displayName": "string", "description": "string", "bindings": "string[]"]
            )
        ]
    }
}
