extension ManagementOpenAPIDocument {
    /// Settings, key managers, environments, roles, system scopes, key mappings and an API's subscription
    /// policies: what WSO2's portals and apictl read first.
    static let platformOperations: [Operation] = {
        let administrator = Access.scope("apim:admin")
        let scopeManager = Access.anyScope(["apim:admin", "apim:scope_manage"])
        let apps = "\(devportal)/applications/{applicationId}/oauth-keys"
        return [
            op("GET", "\(publisher)/settings", "Environments, REST scopes and defaults", .scope("apim:api_view")),
            op("GET", "\(devportal)/settings", "Grant types and the gateway endpoints", .optional),
            op("GET", "\(devportal)/settings/application-attributes", "Custom application attributes (none)", .optional),
            op("GET", "\(admin)/settings", "REST scopes and gateway types", administrator),
            op("GET", "\(publisher)/key-managers", "The built-in key manager", .scope("apim:api_view")),
            op("GET", "\(devportal)/key-managers", "The built-in key manager and its endpoints", .optional),
            op("GET", "\(admin)/key-managers", "The built-in key manager", administrator),
            op("GET", "\(admin)/key-managers/{keyManagerId}", "The built-in key manager and its endpoints", administrator),
            op("GET", "\(admin)/environments", "The gateway environment (Default)", administrator),
            op("GET", "\(admin)/environments/{environmentId}", "The gateway environment, by id or name", administrator),
            op("HEAD", "\(publisher)/roles/{roleId}", "Whether a role exists (name or base64url)", .scope("apim:api_view")),
            op("HEAD", "\(publisher)/me/roles/{roleId}", "Whether the caller has a role", .scope("apim:api_view")),
            op("HEAD", "\(admin)/roles/{roleId}", "Whether a role exists (name or base64url)", administrator),
            op("GET", "\(admin)/system-scopes", "REST API scopes and the roles granting them", scopeManager),
            op(
                "PUT", "\(admin)/system-scopes", "Bind REST API scopes to exactly the roles listed", scopeManager,
                body: "SystemScopes"
            ),
            op("GET", "\(admin)/system-scopes/role-aliases", "Role aliases (none)", scopeManager),
            op(
                "GET", "\(admin)/system-scopes/{scopeName}", "Whether a user (username, else the caller) holds a scope",
                scopeManager
            ),
            op("GET", apps, "The application's keys, with their keyMappingId", .scope("apim:app_manage")),
            op("GET", "\(apps)/{keyMappingId}", "One key mapping", .scope("apim:app_manage")),
            op(
                "POST", "\(apps)/{keyMappingId}/regenerate-secret", "Replace the consumer secret",
                .scope("apim:app_manage")
            ),
            op(
                "POST", "\(apps)/{keyMappingId}/generate-token", "Issue an application access token",
                .scope("apim:app_manage"), body: "TokenGeneration"
            ),
            op(
                "GET", "\(publisher)/apis/{apiId}/subscription-policies", "The subscription tiers an API offers",
                .scope("apim:api_view")
            ),
            op("GET", "\(devportal)/apis/{apiId}/subscription-policies", "The subscription tiers an API offers", .optional),
        ]
    }()
}
