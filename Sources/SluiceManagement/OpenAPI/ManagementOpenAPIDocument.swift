import Foundation
import SluiceControlPlane

/// The OpenAPI 3 description of the publisher, devportal and admin REST APIs, served at
/// `/api/am/openapi.json`. A test checks it against the routes really registered, and that each operation's
/// documented scope is the one enforced.
public enum ManagementOpenAPIDocument {
    /// How an operation authenticates.
    public enum Access: Sendable, Hashable {
        /// No credentials.
        case anonymous
        /// Credentials are optional; they widen what is visible.
        case optional
        /// Credentials with the scope are required.
        case scope(String)
        /// Credentials with one of the scopes are required.
        case anyScope([String])
    }

    /// One documented operation.
    public struct Operation: Sendable, Hashable {
        public var method: String
        /// The path with `{name}` parameters.
        public var path: String
        public var summary: String
        public var access: Access
        /// The request body schema, when there is one.
        public var requestBody: String?
        /// The success status when it is not the default (201 for a POST with a body, else 200).
        public var successStatus: String? = nil
    }

    static let publisher = "/api/am/publisher/v4"
    static let devportal = "/api/am/devportal/v3"
    static let admin = "/api/am/admin/v4"

    /// Every operation of the management REST API.
    public static let operations: [Operation] =
        publisherOperations + devportalOperations + adminOperations + platformOperations + revisionOperations + productOperations
        + devportalKeyOperations + commentOperations + adminApplicationOperations + catalogOperations + devportalAdminOperations
        + publisherLookupOperations
        + publisherObjectOperations + [
            Operation(method: "GET", path: "/api/am/openapi.json", summary: "This document", access: .anonymous)
        ]

    static func op(
        _ method: String,
        _ path: String,
        _ summary: String,
        _ access: Access,
        body: String? = nil,
        status: String? = nil
    ) -> Operation {
        Operation(method: method, path: path, summary: summary, access: access, requestBody: body, successStatus: status)
    }

    /// The client-certificate resources of a mutual-TLS API under `base`.
    private static func clientCertificateOperations(base: String, what: String) -> [Operation] {
        [
            op("GET", base, "List the \(what) client certificates (alias, limit, offset)", .scope("apim:api_view")),
            op(
                "POST", base, "Upload a \(what) client certificate: a form with certificate, alias and tier",
                .scope("apim:api_create"), body: "ClientCertificate"
            ),
            op("GET", "\(base)/{alias}", "Status, validity, subject and fingerprint", .scope("apim:api_view")),
            op(
                "PUT", "\(base)/{alias}", "Replace the certificate and/or tier: a form", .scope("apim:api_create"),
                body: "ClientCertificate"
            ),
            op("DELETE", "\(base)/{alias}", "Delete a client certificate", .scope("apim:api_create")),
            op("GET", "\(base)/{alias}/content", "The certificate in PEM", .scope("apim:api_view")),
        ]
    }

    private static let publisherOperations: [Operation] = [
        op("GET", "\(publisher)/apis", "List or search APIs (query, limit, offset)", .scope("apim:api_view")),
        op("GET", "\(publisher)/search", "Search APIs (query)", .scope("apim:api_view")),
        op("POST", "\(publisher)/apis", "Create an API", .scope("apim:api_create"), body: "API"),
        op(
            "POST",
            "\(publisher)/apis/copy-api",
            "Create a new version of an API (apiId, newVersion, defaultVersion)",
            .scope("apim:api_create")
        ),
        op(
            "POST",
            "\(publisher)/apis/import-openapi",
            "Create an API from an OpenAPI 3.x or Swagger 2.0 document: a form with file or inlineAPIDefinition, "
                + "and additionalProperties",
            .scope("apim:api_create"),
            body: "OpenAPIImport"
        ),
        op(
            "POST",
            "\(publisher)/apis/validate-openapi",
            "Validate an OpenAPI document and summarize it (a form with file or inlineAPIDefinition; returnContent)",
            .scope("apim:api_create"),
            body: "OpenAPIImport"
        ),
        op(
            "GET",
            "\(publisher)/apis/export",
            "Export an API as an apictl project in a zip archive (apiId, or name, version and providerName; format "
                + "YAML or JSON; preserveStatus)",
            .anyScope(APIImportExportService.exportScopes)
        ),
        op(
            "POST",
            "\(publisher)/apis/import",
            "Create or update an API from an exported archive: a form with file (overwrite, preserveProvider)",
            .anyScope(APIImportExportService.importScopes),
            body: "APIImport"
        ),
        op("GET", "\(publisher)/apis/{apiId}", "Get an API", .scope("apim:api_view")),
        op(
            "PUT",
            "\(publisher)/apis/{apiId}",
            "Update an API (redeployed when deployed; a live API's edits by a creator wait for a publisher)",
            .scope("apim:api_create"),
            body: "API"
        ),
        op(
            "POST",
            "\(publisher)/apis/{apiId}/redeploy",
            "Deploy the edits of a live API that wait for a publisher (hasPendingChanges)",
            .scope("apim:api_publish")
        ),
        op("DELETE", "\(publisher)/apis/{apiId}", "Delete an API without subscriptions", .scope("apim:api_delete")),
        op(
            "POST",
            "\(publisher)/apis/change-lifecycle",
            "Change the lifecycle state (apiId, action, lifecycleChecklist, pushToGateway)",
            .scope("apim:api_publish")
        ),
        op(
            "GET",
            "\(publisher)/apis/{apiId}/lifecycle-state",
            "Lifecycle state and allowed actions",
            .scope("apim:api_view")
        ),
        op("GET", "\(publisher)/apis/{apiId}/lifecycle-history", "Lifecycle history", .scope("apim:api_view")),
        op("GET", "\(publisher)/apis/{apiId}/swagger", "OpenAPI 3 document of the API", .scope("apim:api_view")),
        op(
            "PUT",
            "\(publisher)/apis/{apiId}/swagger",
            "Replace the operations from an OpenAPI document (JSON, or a form with apiDefinition or file)",
            .scope("apim:api_create"),
            body: "OpenAPIDocument"
        ),
        op("GET", "\(publisher)/apis/{apiId}/documents", "List documents", .scope("apim:api_view")),
        op(
            "POST",
            "\(publisher)/apis/{apiId}/documents",
            "Add a document",
            .scope("apim:document_create"),
            body: "Document"
        ),
        op("GET", "\(publisher)/apis/{apiId}/documents/{documentId}", "Get a document", .scope("apim:api_view")),
        op(
            "PUT",
            "\(publisher)/apis/{apiId}/documents/{documentId}",
            "Update a document",
            .scope("apim:document_manage"),
            body: "Document"
        ),
        op(
            "DELETE",
            "\(publisher)/apis/{apiId}/documents/{documentId}",
            "Delete a document",
            .scope("apim:document_manage")
        ),
        op(
            "GET",
            "\(publisher)/apis/{apiId}/documents/{documentId}/content",
            "Document content",
            .scope("apim:api_view")
        ),
        op(
            "POST",
            "\(publisher)/apis/{apiId}/documents/{documentId}/content",
            "Upload document content: a multipart form with a file (FILE) or inlineContent (INLINE, MARKDOWN)",
            .anyScope(["apim:document_create", "apim:document_manage"]),
            body: "DocumentContent"
        ),
    ] + clientCertificateOperations(base: "\(publisher)/apis/{apiId}/client-certificates", what: "production")
        + clientCertificateOperations(base: "\(publisher)/apis/{apiId}/client-certs/{keyType}", what: "keyType's") + [
        op("GET", "\(publisher)/subscriptions", "List subscriptions (apiId)", .scope("apim:subscription_view")),
        op(
            "POST",
            "\(publisher)/subscriptions/block-subscription",
            "Block a subscription (subscriptionId, blockState)",
            .scope("apim:subscription_block")
        ),
        op(
            "POST",
            "\(publisher)/subscriptions/unblock-subscription",
            "Unblock a subscription (subscriptionId)",
            .scope("apim:subscription_block")
        ),
        op("GET", "\(publisher)/apis/{apiId}/usage", "Usage statistics of an API (from, to)", .scope("apim:api_view")),
        op(
            "GET",
            "\(publisher)/analytics",
            "Analytics of the caller's APIs (every API for an administrator): traffic over time, top APIs, "
                + "applications and users, errors by status class and fault code, throttled calls by tier, latency "
                + "(average, p95, p99) per API and backend (from, to as ISO 8601 (default the last 24 hours), buckets 1-200, apiId, applicationId; format=csv or Accept: text/csv for CSV)",
            .scope("apim:api_view")
        ),
        op("GET", "\(publisher)/throttling-policies/{policyLevel}", "Policies of a level", .scope("apim:tier_view")),
    ]

    private static let devportalOperations: [Operation] = [
        op("POST", "\(devportal)/self-signup", "Sign up as a subscriber", .anonymous, body: "SelfSignup"),
        op("GET", "\(devportal)/apis", "List or search APIs (query, sortBy=name|newest|rating|usage)", .optional),
        op("GET", "\(devportal)/search", "Search APIs (query)", .optional),
        op("GET", "\(devportal)/apis/{apiId}/swagger", "OpenAPI 3 document of a store API", .optional),
        op("GET", "\(devportal)/tags", "Tags with API counts", .optional),
        op("GET", "\(devportal)/apis/{apiId}", "API details with documents and owner contacts", .optional),
        op("GET", "\(devportal)/apis/{apiId}/documents", "List documents", .optional),
        op("GET", "\(devportal)/apis/{apiId}/documents/{documentId}", "Get a document", .optional),
        op("GET", "\(devportal)/apis/{apiId}/documents/{documentId}/content", "Document content", .optional),
        op("GET", "\(devportal)/apis/{apiId}/ratings", "Average rating", .optional),
        op("GET", "\(devportal)/apis/{apiId}/user-rating", "The caller's rating", .scope("apim:subscribe")),
        op(
            "PUT",
            "\(devportal)/apis/{apiId}/user-rating",
            "Rate an API (1-5)",
            .scope("apim:subscribe"),
            body: "Rating"
        ),
        op("DELETE", "\(devportal)/apis/{apiId}/user-rating", "Remove the caller's rating", .scope("apim:subscribe")),
        op("GET", "\(devportal)/apis/{apiId}/comments", "Top-level comments with their first replies (limit, offset)", .optional),
        op("POST", "\(devportal)/apis/{apiId}/comments", "Add a comment, or a reply (parentCommentId)", .scope("apim:subscribe"), body: "Comment"),
        op(
            "DELETE",
            "\(devportal)/apis/{apiId}/comments/{commentId}",
            "Delete a comment (its author or an administrator)",
            .anyScope(["apim:subscribe", "apim:admin"])
        ),
        op("GET", "\(devportal)/applications", "The caller's applications", .scope("apim:app_manage")),
        op(
            "POST",
            "\(devportal)/applications",
            "Create an application",
            .scope("apim:app_manage"),
            body: "Application"
        ),
        op("GET", "\(devportal)/applications/{applicationId}", "Get an application", .scope("apim:app_manage")),
        op(
            "PUT",
            "\(devportal)/applications/{applicationId}",
            "Update an application",
            .scope("apim:app_manage"),
            body: "Application"
        ),
        op("DELETE", "\(devportal)/applications/{applicationId}", "Delete an application", .scope("apim:app_manage")),
        op(
            "GET",
            "\(devportal)/applications/{applicationId}/analytics",
            "Analytics of the application's calls, with the publisher's breakdowns (from, to as ISO 8601 (default the last 24 hours), buckets 1-200, apiId; format=csv or Accept: text/csv for CSV)",
            .scope("apim:app_manage")
        ),
        op(
            "POST",
            "\(devportal)/applications/{applicationId}/generate-keys",
            "Generate PRODUCTION or SANDBOX keys and an application token",
            .scope("apim:app_manage"),
            body: "KeyGeneration"
        ),
        op(
            "GET",
            "\(devportal)/applications/{applicationId}/keys",
            "The application's keys",
            .scope("apim:app_manage")
        ),
        op(
            "GET",
            "\(devportal)/applications/{applicationId}/keys/{keyType}",
            "One key type",
            .scope("apim:app_manage")
        ),
        op(
            "POST",
            "\(devportal)/applications/{applicationId}/keys/{keyType}/regenerate-secret",
            "Replace the consumer secret",
            .scope("apim:app_manage")
        ),
        op(
            "POST",
            "\(devportal)/applications/{applicationId}/keys/{keyType}/generate-token",
            "Issue an application access token",
            .scope("apim:app_manage"),
            body: "TokenGeneration"
        ),
        op(
            "POST",
            "\(devportal)/applications/{applicationId}/api-keys/{keyType}/generate",
            "Generate a self-contained API key (also needs apim:app_manage)",
            .scope("apim:api_key"),
            body: "APIKeyGeneration"
        ),
        op(
            "POST",
            "\(devportal)/applications/{applicationId}/api-keys/{keyType}/revoke",
            "Revoke an API key (also needs apim:app_manage)",
            .scope("apim:api_key"),
            body: "APIKeyRevocation"
        ),
        op(
            "GET",
            "\(devportal)/subscriptions",
            "The caller's subscriptions (applicationId, apiId)",
            .scope("apim:sub_manage")
        ),
        op(
            "POST",
            "\(devportal)/subscriptions",
            "Subscribe an application to an API",
            .scope("apim:sub_manage"),
            body: "Subscription"
        ),
        op("GET", "\(devportal)/subscriptions/{subscriptionId}", "Get a subscription", .scope("apim:sub_manage")),
        op(
            "PUT",
            "\(devportal)/subscriptions/{subscriptionId}",
            "Change a subscription's tier",
            .scope("apim:sub_manage"),
            body: "Subscription"
        ),
        op("DELETE", "\(devportal)/subscriptions/{subscriptionId}", "Unsubscribe", .scope("apim:sub_manage")),
        op("GET", "\(devportal)/throttling-policies/{policyLevel}", "Application or subscription tiers", .optional),
    ]

    private static let adminOperations: [Operation] =
        [
            op("GET", "\(admin)/users", "List users", .scope("apim:admin")),
            op(
                "GET",
                "\(admin)/analytics",
                "Analytics across every API, with the publisher's breakdowns (from, to as ISO 8601 (default the last 24 hours), buckets 1-200, apiId, applicationId; format=csv or Accept: text/csv for CSV)",
                .scope("apim:admin")
            ),
            op("POST", "\(admin)/users", "Create a user", .scope("apim:admin"), body: "UserCreation"),
            op("GET", "\(admin)/users/{username}", "Get a user", .scope("apim:admin")),
            op("DELETE", "\(admin)/users/{username}", "Remove a user and revoke their tokens", .scope("apim:admin")),
            op(
                "PUT",
                "\(admin)/users/{username}/roles",
                "Replace a user's roles",
                .scope("apim:admin"),
                body: "UserRoles"
            ),
            op("GET", "\(admin)/roles", "Roles and their scopes", .scope("apim:admin")),
        ]
        + ["subscription", "application", "advanced"].flatMap { level -> [Operation] in
            let base = "\(admin)/throttling/policies/\(level)"
            let view = Access.anyScope(["apim:admin_tier_view", "apim:tier_manage"])
            let manage = Access.anyScope(["apim:admin_tier_manage", "apim:tier_manage"])
            return [
                op("GET", base, "List \(level) policies", view),
                op("POST", base, "Create a \(level) policy", manage, body: "ThrottlePolicy"),
                op("GET", "\(base)/{policyId}", "Get a \(level) policy", view),
                op("PUT", "\(base)/{policyId}", "Replace a \(level) policy", manage, body: "ThrottlePolicy"),
                op("DELETE", "\(base)/{policyId}", "Delete a \(level) policy", manage),
            ]
        }

    // MARK: - Rendering

    /// The document as JSON.
    public static func json() -> Data {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            var entry: [String: Any] = [
                "summary": operation.summary,
                "operationId": "\(operation.method.lowercased()) \(operation.path)",
                "responses": responses(for: operation),
            ]
            let parameters = operation.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { segment in
                [
                    "name": String(segment.dropFirst().dropLast()), "in": "path", "required": true,
                    "schema": ["type": "string"],
                ] as [String: Any]
            }
            if !parameters.isEmpty { entry["parameters"] = parameters }
            if let body = operation.requestBody {
                entry["requestBody"] = [
                    "required": true,
                    "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(body)"]]],
                ]
            }
            switch operation.access {
            case .anonymous:
                entry["security"] = [[String: [String]]]()
            case .optional:
                entry["security"] = [[:], ["basicAuth": []], ["bearerAuth": []]] as [[String: [String]]]
            case .scope(let scope):
                entry["security"] = [["basicAuth": []], ["bearerAuth": [scope]]]
                entry["x-scope"] = scope
            case .anyScope(let scopes):
                entry["security"] = [["basicAuth": []]] + scopes.map { ["bearerAuth": [$0]] }
                entry["x-scope"] = scopes.joined(separator: " | ")
            }
            paths[operation.path, default: [:]][operation.method.lowercased()] = entry
        }
        let document: [String: Any] = [
            "openapi": "3.0.3",
            "info": [
                "title": "Sluice management REST API",
                "version": "1.0.0",
                "description": "WSO2-compatible publisher (v4), devportal (v3) and admin (v4) APIs.",
            ],
            "paths": paths,
            "components": [
                "securitySchemes": [
                    "basicAuth": ["type": "http", "scheme": "basic"],
                    "bearerAuth": ["type": "http", "scheme": "bearer", "description": "A token from /oauth2/token"],
                ],
                "schemas": schemas.merging(revisionSchemas.merging(productSchemas) { $1 }) { current, _ in current }
                    .merging(devportalKeySchemas) { current, _ in current }
                    .merging(adminApplicationSchemas) { current, _ in current }
                    .merging(catalogSchemas) { current, _ in current }
                    .merging(devportalAdminSchemas) { current, _ in current }
                    .merging(publisherObjectSchemas) { current, _ in current },
            ],
        ]
        // The dictionary holds only strings, booleans, arrays and dictionaries: serialization cannot fail.
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    private static func responses(for operation: Operation) -> [String: Any] {
        let error: [String: Any] = ["content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
        var responses: [String: Any] = [
            operation.successStatus ?? (operation.method == "POST" && operation.requestBody != nil ? "201" : "200"):
                ["description": "Success"],
            "400": ["description": "Bad request"].merging(error) { $1 },
            "404": ["description": "Not found"].merging(error) { $1 },
        ]
        if operation.access != .anonymous {
            responses["401"] = ["description": "Missing or invalid credentials"].merging(error) { $1 }
            responses["403"] = ["description": "Missing scope"].merging(error) { $1 }
        }
        return responses
    }

    static func object(_ required: [String], _ properties: [String: String]) -> [String: Any] {
        [
            "type": "object",
            "required": required,
            "properties": properties.mapValues { type -> [String: Any] in
                type.hasSuffix("[]") ? ["type": "array", "items": ["type": String(type.dropLast(2))]] : ["type": type]
            },
        ]
    }

    private static var schemas: [String: Any] {
        [
            "Error": object(
                ["code", "message", "description"],
                [
                    "code": "integer", "message": "string", "description": "string", "moreInfo": "string",
                    "error": "object[]",
                ]
            ),
            "API": object(
                ["name", "context", "version"],
                [
                    "name": "string", "context": "string", "version": "string", "description": "string",
                    "provider": "string", "tags": "string[]", "visibility": "string", "visibleRoles": "string[]",
                    "transport": "string[]",
                    "policies": "string[]", "apiThrottlingPolicy": "string", "isDefaultVersion": "boolean",
                    "maxTps": "object", "endpointConfig": "object", "operations": "object[]", "scopes": "object[]",
                    "corsConfiguration": "object", "businessInformation": "object", "categories": "string[]",
                ]
            ),
            "Document": object(
                ["name", "type", "sourceType"],
                [
                    "name": "string", "type": "string", "sourceType": "string", "summary": "string",
                    "sourceUrl": "string", "inlineContent": "string", "visibility": "string",
                ]
            ),
            "DocumentContent": object([], ["file": "string", "inlineContent": "string"]),
            "ClientCertificate": object(["certificate", "alias", "tier"], ["certificate": "string", "alias": "string", "tier": "string"]),
            "OpenAPIDocument": object(["paths"], ["openapi": "string", "info": "object", "paths": "object"]),
            "OpenAPIImport": object(
                [],
                ["file": "string", "inlineAPIDefinition": "string", "additionalProperties": "string", "url": "string"]
            ),
            "APIImport": object(["file"], ["file": "string"]),
            "SelfSignup": object(
                ["username", "password", "email", "firstName", "lastName"],
                [
                    "username": "string", "password": "string", "email": "string", "firstName": "string",
                    "lastName": "string",
                ]
            ),
            "Rating": object(["rating"], ["rating": "integer"]),
            "Comment": object(["content"], ["content": "string", "parentCommentId": "string"]),
            "Application": object(
                ["name", "throttlingPolicy"],
                ["name": "string", "throttlingPolicy": "string", "description": "string", "tokenType": "string"]
            ),
            "KeyGeneration": object(
                ["keyType"],
                [
                    "keyType": "string", "grantTypesToBeSupported": "string[]", "callbackUrl": "string",
                    "scopes": "string[]", "validityTime": "integer",
                ]
            ),
            "TokenGeneration": object(
                [],
                ["consumerSecret": "string", "validityPeriod": "integer", "scopes": "string[]"]
            ),
            "APIKeyGeneration": object(
                [],
                ["keyName": "string", "validityPeriod": "integer", "additionalProperties": "object"]
            ),
            "APIKeyRevocation": object(["apikey"], ["apikey": "string"]),
            "Subscription": object(
                ["applicationId", "apiId", "throttlingPolicy"],
                ["applicationId": "string", "apiId": "string", "throttlingPolicy": "string"]
            ),
            "UserCreation": object(
                ["username", "password", "roles"],
                ["username": "string", "password": "string", "email": "string", "roles": "string[]"]
            ),
            "UserRoles": object(["roles"], ["roles": "string[]"]),
            "SystemScopes": object(["list"], ["count": "integer", "list": "object[]"]),
            "ThrottlePolicy": object(
                ["policyName", "defaultLimit"],
                [
                    "policyName": "string", "displayName": "string", "description": "string", "defaultLimit": "object",
                    "rateLimitCount": "integer", "rateLimitTimeUnit": "string", "stopOnQuotaReach": "boolean",
                    "billingPlan": "string",
                ]
            ),
        ]
    }
}
