import Foundation
package import SluiceModel
import SluiceArtifacts

/// An API's OpenAPI 3 document (WSO2's `/apis/{apiId}/swagger`), generated from its operations, and the way
/// back: the operations an OpenAPI document declares.
///
/// WSO2's extensions carry what OpenAPI has no word for: `x-auth-type` and `x-throttling-tier` on each operation;
/// scopes are the operation's `security` requirement of the `default` OAuth2 scheme, declared in the scheme's
/// flow with their roles in `x-scopes-bindings` (`{"order_admin": "admin,Internal/publisher"}`).
package enum APIOpenAPIDefinition {
    package static let methods = ["get", "put", "post", "delete", "patch", "head", "options"]

    /// The document for `definition`, as JSON.
    package static func document(for definition: APIDefinition) -> Data {
        var paths: [String: [String: Any]] = [:]
        let declared = Dictionary(definition.scopes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var scopes = Set(declared.keys)
        for operation in definition.effectiveOperations {
            var entry: [String: Any] = [
                "responses": ["200": ["description": "OK"]],
                "x-auth-type": operation.authType ?? "Any",
                "x-throttling-tier": operation.throttlingPolicy ?? "Unlimited",
                "security": [["default": operation.scopes]],
            ]
            scopes.formUnion(operation.scopes)
            let parameters = pathParameters(operation.target).map { name -> [String: Any] in
                ["name": name, "in": "path", "required": true, "schema": ["type": "string"]]
            }
            if !parameters.isEmpty { entry["parameters"] = parameters }
            if ["POST", "PUT", "PATCH"].contains(operation.verb) {
                entry["requestBody"] = ["content": ["application/json": ["schema": ["type": "object"]]]]
            }
            paths[operation.target, default: [:]][operation.verb.lowercased()] = entry
        }
        var info: [String: Any] = ["title": definition.name, "version": definition.version]
        if let description = definition.description { info["description"] = description }
        let document: [String: Any] = [
            "openapi": "3.0.1",
            "info": info,
            "servers": [["url": "/" + versionedContext(definition.context, definition.version)]],
            "paths": paths,
            "components": [
                "securitySchemes": [
                    "default": [
                        "type": "oauth2",
                        "flows": [
                            "clientCredentials": [
                                "tokenUrl": "/token",
                                "scopes": Dictionary(
                                    uniqueKeysWithValues: scopes.sorted().map { name in
                                        (name, declared[name]?.scope.description ?? name)
                                    }
                                ),
                                "x-scopes-bindings": Dictionary(
                                    uniqueKeysWithValues: scopes.sorted().map { name in
                                        (name, (declared[name]?.bindings ?? []).joined(separator: ","))
                                    }
                                ),
                            ]
                        ],
                    ]
                ]
            ],
        ]
        // Only strings, booleans, arrays and dictionaries of them: serialization cannot fail.
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
    }

    /// The operations of an OpenAPI 3 (or Swagger 2) JSON document.
    /// - Throws: ``ManagementError`` 400 naming what is wrong.
    package static func operations(from data: Data) throws(ManagementError) -> [APIOperation] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ManagementError.badRequest("The API definition must be an OpenAPI document in JSON")
        }
        guard let document = parsed as? [String: Any] else {
            throw ManagementError.badRequest("The API definition must be a JSON object")
        }
        guard document["openapi"] is String || document["swagger"] is String else {
            throw ManagementError.badRequest("The API definition has neither an openapi nor a swagger version")
        }
        guard let paths = document["paths"] as? [String: Any], !paths.isEmpty else {
            throw ManagementError.badRequest("The API definition has no paths")
        }
        var operations: [APIOperation] = []
        for (path, value) in paths.sorted(by: { $0.key < $1.key }) {
            guard path.hasPrefix("/"), let item = value as? [String: Any] else {
                throw ManagementError.badRequest("paths.\(path) must be an object under a path starting with /")
            }
            for method in methods {
                guard let raw = item[method] else { continue }
                guard let operation = raw as? [String: Any] else {
                    throw ManagementError.badRequest("paths.\(path).\(method) must be an object")
                }
                operations.append(
                    APIOperation(
                        target: path,
                        verb: method.uppercased(),
                        authType: try string(operation, "x-auth-type", at: "paths.\(path).\(method)"),
                        throttlingPolicy: try string(operation, "x-throttling-tier", at: "paths.\(path).\(method)"),
                        scopes: try scopes(of: operation, at: "paths.\(path).\(method)")
                    )
                )
            }
        }
        guard !operations.isEmpty else { throw ManagementError.badRequest("The API definition has no operations") }
        return operations
    }

    /// The scopes an OpenAPI document declares in its security schemes' flows, with the roles of
    /// `x-scopes-bindings` (a comma-separated string, or a list); a scope without bindings gets none.
    /// - Throws: ``ManagementError`` 400 for bindings of the wrong type.
    package static func scopes(from data: Data) throws(ManagementError) -> [APIScope] {
        guard let document = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let components = document["components"] as? [String: Any],
            let schemes = components["securitySchemes"] as? [String: Any]
        else { return [] }
        var declared: [String: APIScope] = [:]
        for (_, scheme) in schemes.sorted(by: { $0.key < $1.key }) {
            guard let flows = (scheme as? [String: Any])?["flows"] as? [String: Any] else { continue }
            for (flowName, flow) in flows.sorted(by: { $0.key < $1.key }) {
                guard let flow = flow as? [String: Any], let names = flow["scopes"] as? [String: Any] else { continue }
                let bindings = flow["x-scopes-bindings"] as? [String: Any] ?? [:]
                for (name, description) in names.sorted(by: { $0.key < $1.key }) where declared[name] == nil {
                    let roles: [String]
                    switch bindings[name] {
                    case nil: roles = []
                    case let text as String:
                        roles = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                            .filter { !$0.isEmpty }
                    case let list as [String]: roles = list
                    default:
                        throw ManagementError.badRequest(
                            "flows.\(flowName).x-scopes-bindings.\(name) must be a comma-separated string of roles"
                        )
                    }
                    declared[name] = APIScope(
                        name: name,
                        bindings: roles,
                        description: (description as? String).flatMap { $0 == name ? nil : $0 }
                    )
                }
            }
        }
        return declared.keys.sorted().compactMap { declared[$0] }
    }

    private static func string(_ object: [String: Any], _ key: String, at path: String) throws(ManagementError)
        -> String?
    {
        guard let value = object[key] else { return nil }
        guard let text = value as? String else { throw ManagementError.badRequest("\(path).\(key) must be a string") }
        return text
    }

    /// Scopes from `security` requirements (any scheme), else WSO2's older `x-scope`.
    private static func scopes(of operation: [String: Any], at path: String) throws(ManagementError) -> [String] {
        if let security = operation["security"] {
            guard let requirements = security as? [[String: Any]] else {
                throw ManagementError.badRequest("\(path).security must be a list of requirements")
            }
            var scopes: [String] = []
            for requirement in requirements {
                for (_, value) in requirement.sorted(by: { $0.key < $1.key }) {
                    guard let names = value as? [String] else {
                        throw ManagementError.badRequest("\(path).security scopes must be lists of strings")
                    }
                    scopes += names.filter { !scopes.contains($0) }
                }
            }
            return scopes
        }
        return try string(operation, "x-scope", at: path).map { [$0] } ?? []
    }

    /// `{name}` segments of a path template.
    private static func pathParameters(_ target: String) -> [String] {
        target.split(separator: "/").compactMap { segment in
            guard segment.hasPrefix("{"), segment.hasSuffix("}") else { return nil }
            return String(segment.dropFirst().dropLast())
        }
    }

    /// The context with the version, as the gateway serves it.
    private static func versionedContext(_ context: String, _ version: String) -> String {
        let trimmed = context.split(separator: "/").joined(separator: "/")
        if trimmed.contains("{version}") { return trimmed.replacingOccurrences(of: "{version}", with: version) }
        return trimmed + "/" + version
    }
}
