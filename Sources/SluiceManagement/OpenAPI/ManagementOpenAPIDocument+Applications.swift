import SluiceControlPlane

extension ManagementOpenAPIDocument {
    /// Operations on a devportal application beyond its keys and subscriptions, the admin's hand-over of an API to
    /// another provider and role aliases, and the publisher's endpoint probe.
    static let applicationOperations: [Operation] = [
        op(
            "POST", "\(devportal)/applications/{applicationId}/reset-throttle-policy",
            "Reset the application-level throttle counters (quota and burst) of one user of the application on this "
                + "node's gateway ({userName}); 409 where the counters are shared by a cluster or no gateway runs",
            .anyScope(ApplicationThrottleResetService.scopes), body: "ThrottleReset", status: "200"
        ),
        op(
            "POST", "\(admin)/apis/{apiId}/change-provider",
            "Make another user (provider, required) the API's provider; an API on the gateway is redeployed under "
                + "its new artifact name. API products and hand-edited sources keep theirs (400)",
            .anyScope(APIProviderChangeService.scopes), status: "200"
        ),
        op(
            "POST", "\(publisher)/apis/validate-endpoint",
            "Ask a backend whether it answers (endpointUrl, required; apiId): HEAD (GET when HEAD is refused), no "
                + "redirects, 5 s; its status code and reason, or statusCode -1 with why it could not be reached",
            .anyScope(EndpointProbeService.scopes), status: "200"
        ),
        op(
            "PUT", "\(admin)/system-scopes/role-aliases",
            "Replace the role aliases ({list: [{role, aliases}]}): the users of an alias hold the role and its scopes "
                + "too; every role named must exist",
            .anyScope(["apim:admin", "apim:scope_manage"]), body: "RoleAliasList", status: "200"
        ),
    ]

    /// The request bodies of ``applicationOperations``.
    static var applicationSchemas: [String: Any] {
        [
            "ThrottleReset": object(["userName"], ["userName": "string"]),
            "RoleAliasList": object(["list"], ["count": "integer", "list": "object[]"]),
        ]
    }
}
