extension ManagementOpenAPIDocument {
    /// Further consumer secrets of an application's keys (devportal).
    static let secretOperations: [Operation] = {
        let keys = "\(devportal)/applications/{applicationId}/oauth-keys/{keyMappingId}"
        let secretScopes = Access.anyScope(DevPortalSecretsController.scopes)
        return [
            op(
                "POST", "\(keys)/generate-secret",
                "A further consumer secret (additionalProperties: description, expiresIn seconds), shown once; the "
                    + "token endpoint accepts it until it expires or is revoked",
                secretScopes, body: "SecretCreation"
            ),
            op("GET", "\(keys)/secrets", "The keys' secrets (their own first), without values", secretScopes),
            op(
                "POST", "\(keys)/revoke-secret", "Revoke a further secret (secretId); refused at once", secretScopes,
                body: "SecretRevocation", status: "204"
            ),
        ]
    }()

    /// The request bodies of ``secretOperations``.
    static var secretSchemas: [String: Any] {
        [
            "SecretCreation": object([], ["additionalProperties": "object"]),
            "SecretRevocation": object(["secretId"], ["secretId": "string", "additionalProperties": "object"]),
        ]
    }
}
