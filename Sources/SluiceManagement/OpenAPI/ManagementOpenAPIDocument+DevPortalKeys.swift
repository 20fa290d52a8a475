extension ManagementOpenAPIDocument {
    /// Editing, removing and mapping application keys; several subscriptions at once; a throttling policy by
    /// name; the signed-in user's password.
    static let devportalKeyOperations: [Operation] = {
        let apps = "\(devportal)/applications/{applicationId}"
        let manage = Access.scope("apim:app_manage")
        return [
            op("PUT", "\(apps)/keys/{keyType}", "Replace the keys' grant types and callback URL", manage, body: "ApplicationKey"),
            op("POST", "\(apps)/keys/{keyType}/clean-up", "Remove the keys of a type; their tokens are revoked", manage),
            op(
                "PUT", "\(apps)/oauth-keys/{keyMappingId}", "Replace the keys' grant types and callback URL", manage,
                body: "ApplicationKey"
            ),
            op("DELETE", "\(apps)/oauth-keys/{keyMappingId}", "Remove the keys; their tokens are revoked", manage),
            op(
                "POST", "\(apps)/oauth-keys/{keyMappingId}/clean-up", "Remove the keys; their tokens are revoked",
                manage
            ),
            op(
                "POST", "\(apps)/map-keys", "Give the application keys made elsewhere (consumer key and secret)",
                manage, body: "ApplicationKeyMapping", status: "200"
            ),
            op(
                "POST", "\(devportal)/subscriptions/multiple", "Subscribe several times, all or nothing (a JSON array)",
                .scope("apim:sub_manage"), body: "Subscriptions", status: "200"
            ),
            op(
                "GET", "\(devportal)/throttling-policies/{policyLevel}/{policyId}",
                "An application or subscription throttling policy by name", .optional
            ),
            op(
                "POST", "\(devportal)/me/change-password", "Change the caller's password (currentPassword, newPassword)",
                .scope("apim:subscribe"), body: "PasswordChange", status: "200"
            ),
        ]
    }()

    /// The request bodies of ``devportalKeyOperations``.
    static var devportalKeySchemas: [String: Any] {
        [
            "ApplicationKey": object([], ["supportedGrantTypes": "string[]", "callbackUrl": "string"]),
            "ApplicationKeyMapping": object(
                ["consumerKey", "consumerSecret", "keyType"],
                ["consumerKey": "string", "consumerSecret": "string", "keyManager": "string", "keyType": "string"]
            ),
            "Subscriptions": ["type": "array", "items": ["$ref": "#/components/schemas/Subscription"]],
            "PasswordChange": object(["currentPassword", "newPassword"], ["currentPassword": "string", "newPassword": "string"]),
        ]
    }
}
