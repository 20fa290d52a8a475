import Foundation
import OpenAPIKit
import SluiceArtifacts

/// Reads an OpenAPI 3.0 or 3.1 document, or a Swagger 2.0 one, with OpenAPIKit, into what creating an API from it
/// needs (``ImportedOpenAPI``). Swagger 2.0 is first converted to OpenAPI 3.0 (``Swagger2Converter``), 3.0 to
/// OpenAPIKit's 3.1 model (OpenAPIKitCompat). Every error names its path in the document.
package enum OpenAPIDocumentReader {
    /// The verbs an API resource may have (WSO2's); other methods of a document are skipped.
    static let verbs: Set<String> = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"]

    /// Reads a document as a client sent it: YAML (a `.yaml`/`.yml` name, or content not starting as JSON) is
    /// turned into JSON first.
    /// - Throws: ``OpenAPIImportError``; a YAML problem names its line.
    package static func read(document: Data, fileName: String?) throws(OpenAPIImportError) -> ImportedOpenAPI {
        guard YAMLReader.looksLikeYAML(Array(document), path: fileName ?? "") else { return try read(json: document) }
        let json: [UInt8]
        do throws(YAMLReader.Failure) {
            json = try YAMLReader.json(fromYAML: Array(document))
        } catch {
            throw OpenAPIImportError(path: "", "Neither JSON nor readable YAML: \(error.description)")
        }
        return try read(json: Data(json))
    }

    /// Reads a JSON document.
    /// - Throws: ``OpenAPIImportError``.
    package static func read(json: Data) throws(OpenAPIImportError) -> ImportedOpenAPI {
        guard let parsed = try? JSONSerialization.jsonObject(with: json), let object = parsed as? [String: Any] else {
            throw OpenAPIImportError(path: "", "The document is not a JSON or YAML object")
        }
        let document: OpenAPI.Document
        let version: String
        var normalized = json
        if let swagger = object["swagger"] {
            guard swagger as? String == "2.0" else {
                throw OpenAPIImportError(path: "swagger", "Only Swagger 2.0 is read (or OpenAPI 3.0 and 3.1)")
            }
            let converted = try Swagger2Converter.convert(object)
            normalized = (try? JSONSerialization.data(withJSONObject: converted)) ?? json
            document = try OpenAPI30Decoder.decode(normalized)
            version = "2.0"
        } else if let openAPI = object["openapi"] as? String {
            if openAPI.hasPrefix("3.0") {
                document = try OpenAPI30Decoder.decode(json)
            } else if openAPI.hasPrefix("3.1") {
                document = try decode31(json)
            } else {
                throw OpenAPIImportError(path: "openapi", "Version \(openAPI) is not read: use OpenAPI 3.0, 3.1 or Swagger 2.0")
            }
            version = openAPI
        } else {
            throw OpenAPIImportError(path: "", "The document has neither an openapi nor a swagger version")
        }
        var imported = try summary(of: document, openAPIVersion: version)
        do throws(ManagementError) {
            imported.scopes = try APIOpenAPIDefinition.scopes(from: normalized)
        } catch {
            throw OpenAPIImportError(path: "components.securitySchemes", error.detail)
        }
        return imported
    }

    private static func decode31(_ json: Data) throws(OpenAPIImportError) -> OpenAPI.Document {
        do {
            return try JSONDecoder().decode(OpenAPI.Document.self, from: json)
        } catch {
            let readable = OpenAPI.Error(from: error)
            throw OpenAPIImportError(path: dotted(readable.codingPath), readable.localizedDescription)
        }
    }

    /// The operations, servers and description of a decoded document.
    private static func summary(of document: OpenAPI.Document, openAPIVersion: String) throws(OpenAPIImportError)
        -> ImportedOpenAPI
    {
        var operations: [APIOperation] = []
        for (path, item) in document.paths {
            guard path.rawValue.hasPrefix("/") else {
                throw OpenAPIImportError(path: "paths.\(path.rawValue)", "A path must start with /")
            }
            guard let pathItem = document.components[item] else {
                throw OpenAPIImportError(path: "paths.\(path.rawValue)", "The path item's reference cannot be resolved")
            }
            for endpoint in pathItem.endpoints where verbs.contains(endpoint.method.rawValue) {
                let at = "paths.\(path.rawValue).\(endpoint.method.rawValue.lowercased())"
                let operation = endpoint.operation
                let requirements = operation.security ?? document.security
                operations.append(
                    APIOperation(
                        target: "/" + path.components.joined(separator: "/"),
                        verb: endpoint.method.rawValue,
                        authType: try string(operation.vendorExtensions["x-auth-type"]?.value, at: at + ".x-auth-type")
                            ?? (requirements.isEmpty && operation.security != nil ? "None" : "Application & Application User"),
                        throttlingPolicy: try string(
                            operation.vendorExtensions["x-throttling-tier"]?.value, at: at + ".x-throttling-tier"
                        ),
                        scopes: requirements.flatMap { $0.values.flatMap { $0 } }.reduce(into: []) { names, name in
                            if !names.contains(name) { names.append(name) }
                        }
                    )
                )
            }
        }
        guard !operations.isEmpty else {
            throw OpenAPIImportError(path: "paths", "The document declares no operation (GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS)")
        }
        let endpoints = document.servers.map(\.urlTemplate.absoluteString)
        return ImportedOpenAPI(
            openAPIVersion: openAPIVersion,
            title: document.info.title,
            version: document.info.version,
            description: document.info.description,
            endpoints: endpoints,
            context: endpoints.first.flatMap(contextPath),
            operations: operations
        )
    }

    /// The path of a server URL (`https://host/v1/pets` → `/v1/pets`), nil for none.
    static func contextPath(_ url: String) -> String? {
        let path: Substring
        if let scheme = url.range(of: "://") {
            let rest = url[scheme.upperBound...]
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            path = rest[slash...]
        } else {
            path = Substring(url)
        }
        let trimmed = path.split(separator: "/").joined(separator: "/")
        return trimmed.isEmpty ? nil : "/" + trimmed
    }

    private static func string(_ value: Any?, at path: String) throws(OpenAPIImportError) -> String? {
        guard let value else { return nil }
        guard let text = value as? String else { throw OpenAPIImportError(path: path, "Must be a string") }
        return text
    }

    /// `paths./orders.get` from a coding path.
    static func dotted(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            .reduce("") { path, part in
                path.isEmpty ? part : part.hasPrefix("[") ? path + part : path + "." + part
            }
    }
}
