extension ManagementOpenAPIDocument {
    /// Every owner's applications, and every API, in the admin API.
    static let adminApplicationOperations: [Operation] = {
        let apps = "\(admin)/applications"
        typealias Rules = AdminApplicationsController
        return [
            op(
                "GET", apps, "Every owner's applications (user, name, sortBy name|owner, sortOrder, limit, offset)",
                .anyScope(Rules.listScopes)
            ),
            op("GET", "\(apps)/{applicationId}", "An application", .anyScope(Rules.readScopes)),
            op("DELETE", "\(apps)/{applicationId}", "Delete an application; its tokens stop at once", .scope("apim:admin")),
            op(
                "POST", "\(apps)/{applicationId}/change-owner", "Hand the application to another user (owner)",
                .anyScope(Rules.ownerScopes)
            ),
            op(
                "POST", "\(apps)/{applicationId}/change-settings", "Change the owner and/or token type",
                .anyScope(Rules.settingsScopes), body: "ApplicationSettings", status: "200"
            ),
            op("GET", "\(admin)/apis", "Every API, searched as the publisher does (query, limit, offset)", .anyScope(Rules.apiScopes)),
        ]
    }()

    static var adminApplicationSchemas: [String: Any] {
        ["ApplicationSettings": object([], ["owner": "string", "tokenType": "string"])]
    }
}
