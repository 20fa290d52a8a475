import Foundation
package import SluiceArtifacts
package import SluiceStorage

extension PublisherAPIService {
    /// The definition an API created from `imported` gets: WSO2's `additionalProperties` (API fields, any of them)
    /// over what the document says: name (`info.title` without spaces), version, description, context (the path
    /// of the first server, else the name in lower case), an HTTP endpoint at the first absolute server URL, the
    /// operations and the scopes.
    /// - Parameter additionalProperties: A JSON object of API fields, or nil.
    /// - Throws: ``ManagementError`` 400 naming the field of `additionalProperties` that is wrong.
    package static func definition(from imported: ImportedOpenAPI, additionalProperties: Data?) throws(ManagementError)
        -> APIDefinition
    {
        var fields: [String: Any] = [:]
        if let additionalProperties, !additionalProperties.isEmpty {
            guard let object = (try? JSONSerialization.jsonObject(with: additionalProperties)) as? [String: Any] else {
                throw ManagementError.badRequest("additionalProperties must be a JSON object of API fields")
            }
            fields = object
        }
        let name = fields["name"] as? String ?? imported.suggestedName
        fields["name"] = name
        if fields["version"] == nil { fields["version"] = imported.version }
        if fields["context"] == nil { fields["context"] = imported.context ?? "/" + name.lowercased() }
        if fields["description"] == nil, let description = imported.description { fields["description"] = description }
        if fields["endpointConfig"] == nil,
            let url = imported.endpoints.first(where: { $0.hasPrefix("http://") || $0.hasPrefix("https://") })
        {
            fields["endpointConfig"] = [
                "endpoint_type": "http", "production_endpoints": ["url": url], "sandbox_endpoints": ["url": url],
            ]
        }
        var definition: APIDefinition
        do {
            let data = try JSONSerialization.data(withJSONObject: fields)
            definition = try JSONDecoder().decode(APIDefinition.self, from: data)
        } catch let error as DecodingError {
            throw ManagementError.badRequest("additionalProperties: \(Self.describe(error))")
        } catch {
            throw ManagementError.badRequest("additionalProperties: \(error)")
        }
        if fields["operations"] == nil { definition.operations = imported.operations }
        if fields["scopes"] == nil { definition.scopes = imported.scopes }
        return definition
    }

    /// Creates an API from an OpenAPI or Swagger document, JSON or YAML: the publisher's `import-openapi`, the
    /// Publisher portal's import and `sluice api create --oas`.
    /// - Parameters:
    ///   - document: The document as sent.
    ///   - fileName: Its file name, if any (`.yaml`/`.yml` is read as YAML).
    ///   - additionalProperties: API fields over the document's (a JSON object), or nil.
    /// - Throws: ``ManagementError`` 400 naming the document's path that is wrong; `create`'s errors.
    package func importOpenAPI(document: Data, fileName: String?, additionalProperties: Data?, by principal: Principal)
        async throws -> APIRecord
    {
        try principal.require("apim:api_create")
        let imported: ImportedOpenAPI
        do throws(OpenAPIImportError) {
            imported = try OpenAPIDocumentReader.read(document: document, fileName: fileName)
        } catch {
            throw ManagementError.badRequest("The OpenAPI document is not valid: \(error.description)")
        }
        let definition = try Self.definition(from: imported, additionalProperties: additionalProperties)
        let created = try await create(definition, by: principal)
        logger.info(
            "API created from an OpenAPI document",
            metadata: ["sluice.api": "\(created.id)", "sluice.openapi.version": "\(imported.openAPIVersion)"]
        )
        return created
    }

    /// `field.path: what` for a decoding error.
    static func describe(_ error: DecodingError) -> String {
        let (path, what): ([any CodingKey], String) =
            switch error {
            case .typeMismatch(let type, let context): (context.codingPath, "expected \(type)")
            case .valueNotFound(let type, let context): (context.codingPath, "missing \(type)")
            case .keyNotFound(let key, let context): (context.codingPath + [key], "required")
            case .dataCorrupted(let context): (context.codingPath, context.debugDescription)
            @unknown default: ([], "\(error)")
            }
        let dotted = OpenAPIDocumentReader.dotted(path)
        return dotted.isEmpty ? what : "\(dotted): \(what)"
    }
}
