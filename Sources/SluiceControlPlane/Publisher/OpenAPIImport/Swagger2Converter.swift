import Foundation

/// Swagger 2.0 → OpenAPI 3.0, for the parts an API is made of: servers (`schemes`, `host`, `basePath`), paths and
/// operations with their parameters (`body` and `formData` become a request body), responses, security and the
/// security definitions (OAuth2 flows renamed as 3.0 names them, `x-scopes-bindings` kept), definitions and shared
/// parameters and responses (references rewritten). OpenAPIKit reads 3.x only; this keeps Swagger 2.0 documents
/// on the same path. Problems name their path in the Swagger document.
enum Swagger2Converter {
    static let methods = ["get", "put", "post", "delete", "patch", "head", "options"]

    static func convert(_ swagger: [String: Any]) throws(OpenAPIImportError) -> [String: Any] {
        var document: [String: Any] = ["openapi": "3.0.3"]
        guard let info = swagger["info"] as? [String: Any] else {
            throw OpenAPIImportError(path: "info", "Required: an object with title and version")
        }
        document["info"] = info
        let basePath = swagger["basePath"] as? String ?? ""
        if let host = swagger["host"] as? String {
            let schemes = swagger["schemes"] as? [String] ?? ["https"]
            document["servers"] = schemes.map { ["url": "\($0)://\(host)\(basePath)"] }
        } else if !basePath.isEmpty {
            document["servers"] = [["url": basePath]]
        }
        let consumes = swagger["consumes"] as? [String] ?? ["application/json"]
        let produces = swagger["produces"] as? [String] ?? ["application/json"]
        guard let paths = swagger["paths"] as? [String: Any] else {
            throw OpenAPIImportError(path: "paths", "Required: an object of paths")
        }
        var convertedPaths: [String: Any] = [:]
        for (path, value) in paths {
            guard let item = value as? [String: Any] else {
                throw OpenAPIImportError(path: "paths.\(path)", "Must be an object")
            }
            var convertedItem: [String: Any] = [:]
            for (key, field) in item where key.hasPrefix("x-") { convertedItem[key] = field }
            if let shared = item["parameters"] {
                let (parameters, _) = try parameters(shared, at: "paths.\(path).parameters", consumes: consumes)
                if !parameters.isEmpty { convertedItem["parameters"] = parameters }
            }
            for method in methods {
                guard let raw = item[method] else { continue }
                let at = "paths.\(path).\(method)"
                guard let operation = raw as? [String: Any] else { throw OpenAPIImportError(path: at, "Must be an object") }
                convertedItem[method] = try convertOperation(operation, at: at, consumes: consumes, produces: produces)
            }
            convertedPaths[path] = convertedItem
        }
        document["paths"] = convertedPaths
        if let security = swagger["security"] { document["security"] = security }
        var components: [String: Any] = [:]
        if let definitions = swagger["definitions"] { components["schemas"] = definitions }
        if let shared = swagger["parameters"] as? [String: Any] {
            var converted: [String: Any] = [:]
            for (name, parameter) in shared {
                let (list, _) = try parameters([parameter], at: "parameters.\(name)", consumes: consumes)
                if let first = list.first { converted[name] = first }
            }
            components["parameters"] = converted
        }
        if let responses = swagger["responses"] as? [String: Any] {
            components["responses"] = try convertResponses(responses, at: "responses", produces: produces)
        }
        if let definitions = swagger["securityDefinitions"] as? [String: Any] {
            var schemes: [String: Any] = [:]
            for (name, value) in definitions {
                schemes[name] = try securityScheme(value, at: "securityDefinitions.\(name)")
            }
            components["securitySchemes"] = schemes
        }
        if !components.isEmpty { document["components"] = components }
        for (key, value) in swagger where key.hasPrefix("x-") { document[key] = value }
        return rewritingReferences(document) as? [String: Any] ?? document
    }

    private static func convertOperation(
        _ operation: [String: Any],
        at path: String,
        consumes: [String],
        produces: [String]
    ) throws(OpenAPIImportError) -> [String: Any] {
        var converted: [String: Any] = [:]
        for key in ["summary", "description", "operationId", "tags", "deprecated", "security", "externalDocs"] {
            if let value = operation[key] { converted[key] = value }
        }
        for (key, value) in operation where key.hasPrefix("x-") { converted[key] = value }
        let consumes = operation["consumes"] as? [String] ?? consumes
        if let raw = operation["parameters"] {
            let (parameters, body) = try parameters(raw, at: path + ".parameters", consumes: consumes)
            if !parameters.isEmpty { converted["parameters"] = parameters }
            if let body { converted["requestBody"] = body }
        }
        let responses = operation["responses"] as? [String: Any] ?? ["default": ["description": "Response"]]
        converted["responses"] = try convertResponses(
            responses, at: path + ".responses", produces: operation["produces"] as? [String] ?? produces
        )
        return converted
    }

    /// 3.0 parameters, and the request body the `body` or `formData` parameters make.
    private static func parameters(_ raw: Any, at path: String, consumes: [String]) throws(OpenAPIImportError)
        -> ([[String: Any]], [String: Any]?)
    {
        guard let list = raw as? [Any] else { throw OpenAPIImportError(path: path, "Must be a list of parameters") }
        var converted: [[String: Any]] = []
        var body: [String: Any]?
        var form: [String: Any] = [:]
        var required: [String] = []
        for (index, element) in list.enumerated() {
            let at = "\(path)[\(index)]"
            guard let parameter = element as? [String: Any] else {
                throw OpenAPIImportError(path: at, "Must be an object")
            }
            if parameter["$ref"] != nil {
                converted.append(parameter)
                continue
            }
            guard let name = parameter["name"] as? String, let location = parameter["in"] as? String else {
                throw OpenAPIImportError(path: at, "A parameter needs a name and an in")
            }
            switch location {
            case "body":
                let schema = parameter["schema"] ?? ["type": "object"]
                body = [
                    "required": parameter["required"] as? Bool ?? false,
                    "content": Dictionary(uniqueKeysWithValues: consumes.map { ($0, ["schema": schema]) }),
                ]
            case "formData":
                form[name] = schema(of: parameter)
                if parameter["required"] as? Bool == true { required.append(name) }
            case "query", "path", "header":
                var entry: [String: Any] = ["name": name, "in": location, "schema": schema(of: parameter)]
                if location == "path" { entry["required"] = true } else if let value = parameter["required"] {
                    entry["required"] = value
                }
                if let description = parameter["description"] { entry["description"] = description }
                converted.append(entry)
            default:
                throw OpenAPIImportError(path: at + ".in", "Must be query, path, header, body or formData, not \(location)")
            }
        }
        if !form.isEmpty {
            let media = consumes.contains("multipart/form-data") ? "multipart/form-data" : "application/x-www-form-urlencoded"
            var schema: [String: Any] = ["type": "object", "properties": form]
            if !required.isEmpty { schema["required"] = required }
            body = ["content": [media: ["schema": schema]]]
        }
        return (converted, body)
    }

    /// A 2.0 parameter's type fields as a schema.
    private static func schema(of parameter: [String: Any]) -> [String: Any] {
        var schema: [String: Any] = [:]
        for key in ["type", "format", "items", "enum", "default", "minimum", "maximum", "pattern"] {
            if let value = parameter[key] { schema[key] = value }
        }
        if schema["type"] as? String == "file" { schema = ["type": "string", "format": "binary"] }
        return schema.isEmpty ? ["type": "string"] : schema
    }

    private static func convertResponses(_ responses: [String: Any], at path: String, produces: [String])
        throws(OpenAPIImportError) -> [String: Any]
    {
        var converted: [String: Any] = [:]
        for (code, value) in responses {
            guard let response = value as? [String: Any] else {
                throw OpenAPIImportError(path: "\(path).\(code)", "Must be an object")
            }
            if response["$ref"] != nil {
                converted[code] = response
                continue
            }
            var entry: [String: Any] = ["description": response["description"] as? String ?? ""]
            if let schema = response["schema"] {
                entry["content"] = Dictionary(uniqueKeysWithValues: produces.map { ($0, ["schema": schema]) })
            }
            if let headers = response["headers"] as? [String: Any] {
                entry["headers"] = headers.mapValues { header in
                    ["schema": schema(of: header as? [String: Any] ?? [:])]
                }
            }
            converted[code] = entry
        }
        return converted
    }

    private static func securityScheme(_ raw: Any, at path: String) throws(OpenAPIImportError) -> [String: Any] {
        guard let scheme = raw as? [String: Any], let type = scheme["type"] as? String else {
            throw OpenAPIImportError(path: path, "A security definition needs a type")
        }
        var converted: [String: Any]
        switch type {
        case "basic":
            converted = ["type": "http", "scheme": "basic"]
        case "apiKey":
            converted = ["type": "apiKey", "name": scheme["name"] ?? "", "in": scheme["in"] ?? "header"]
        case "oauth2":
            let names = ["implicit": "implicit", "password": "password", "application": "clientCredentials",
                         "accessCode": "authorizationCode"]
            guard let flow = scheme["flow"] as? String, let name = names[flow] else {
                throw OpenAPIImportError(path: path + ".flow", "Must be implicit, password, application or accessCode")
            }
            var entry: [String: Any] = ["scopes": scheme["scopes"] ?? [String: String]()]
            if let url = scheme["authorizationUrl"] { entry["authorizationUrl"] = url }
            if let url = scheme["tokenUrl"] { entry["tokenUrl"] = url }
            if ["implicit", "authorizationCode"].contains(name), entry["authorizationUrl"] == nil {
                entry["authorizationUrl"] = "/authorize"
            }
            if ["password", "clientCredentials", "authorizationCode"].contains(name), entry["tokenUrl"] == nil {
                entry["tokenUrl"] = "/token"
            }
            // WSO2 keeps the scopes' roles next to the flow.
            if let bindings = scheme["x-scopes-bindings"] { entry["x-scopes-bindings"] = bindings }
            converted = ["type": "oauth2", "flows": [name: entry]]
        default:
            throw OpenAPIImportError(path: path + ".type", "Must be basic, apiKey or oauth2, not \(type)")
        }
        if let description = scheme["description"] { converted["description"] = description }
        return converted
    }

    /// `#/definitions/X` → `#/components/schemas/X` (and parameters, responses) everywhere.
    private static func rewritingReferences(_ value: Any) -> Any {
        switch value {
        case let object as [String: Any]:
            var rewritten = object.mapValues(rewritingReferences)
            if let reference = object["$ref"] as? String {
                rewritten["$ref"] = reference
                    .replacingOccurrences(of: "#/definitions/", with: "#/components/schemas/")
                    .replacingOccurrences(of: "#/parameters/", with: "#/components/parameters/")
                    .replacingOccurrences(of: "#/responses/", with: "#/components/responses/")
            }
            return rewritten
        case let list as [Any]:
            return list.map(rewritingReferences)
        default:
            return value
        }
    }
}
