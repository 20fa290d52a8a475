import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SluiceControlPlane
import SluiceManagement
import Testing

/// OpenAPI import: OpenAPI 3.0 and 3.1 and Swagger 2.0 documents read with OpenAPIKit, errors at their path, and
/// the publisher's `import-openapi` and `validate-openapi` forms.
@Suite(.timeLimit(.minutes(1))) struct OpenAPIImportTests {
    /// An OpenAPI 3.0 document in YAML: a server with a path, a document-wide OAuth2 requirement, an operation
    /// opting out of security, WSO2's extensions and scope bindings.
    static let bakery30 = """
        openapi: 3.0.3
        info:
          title: Corner Bakery
          version: "2.1"
          description: Bread and rolls
        servers:
          - url: http://localhost:9000/bakery
        security:
          - default: []
        paths:
          /loaves:
            get:
              summary: List the loaves
              security: []
              responses: {"200": {description: OK}}
            post:
              x-throttling-tier: Unlimited
              security:
                - default: [bake]
              requestBody:
                content: {application/json: {schema: {type: object}}}
              responses: {"201": {description: Baked}}
          /loaves/{id}:
            delete:
              x-auth-type: Application User
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              responses: {"204": {description: Gone}}
        components:
          securitySchemes:
            default:
              type: oauth2
              flows:
                clientCredentials:
                  tokenUrl: /token
                  scopes: {bake: Bake new loaves}
                  x-scopes-bindings: {bake: "admin,Internal/creator"}
        """

    static let kiosk31 = """
        {"openapi": "3.1.0", "info": {"title": "Kiosk", "version": "1.0"},
         "paths": {"/tickets": {"get": {"responses": {"200": {"description": "OK"}}}}}}
        """

    /// Swagger 2.0: host and basePath, a body parameter, an OAuth2 definition with WSO2's bindings.
    static let garage20 = """
        {"swagger": "2.0", "info": {"title": "Garage Doors", "version": "0.9"},
         "host": "garage.example", "basePath": "/doors/v1", "schemes": ["https"],
         "securityDefinitions": {"default": {"type": "oauth2", "flow": "application", "tokenUrl": "/token",
             "scopes": {"open": "Open a door"}, "x-scopes-bindings": {"open": "admin"}}},
         "paths": {"/doors/{door}": {
             "parameters": [{"name": "door", "in": "path", "required": true, "type": "string"}],
             "put": {"security": [{"default": ["open"]}],
                     "parameters": [{"name": "state", "in": "body", "schema": {"$ref": "#/definitions/State"}}],
                     "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/State"}}}}}},
         "definitions": {"State": {"type": "object", "properties": {"open": {"type": "boolean"}}}}}
        """

    private func read(_ text: String, yaml: Bool = false) throws -> ImportedOpenAPI {
        try OpenAPIDocumentReader.read(document: Data(text.utf8), fileName: yaml ? "doc.yaml" : "doc.json")
    }

    @Test func openAPI30InYAMLGivesResourcesAuthTypesScopesAndBindings() throws {
        let imported = try read(Self.bakery30, yaml: true)
        #expect(imported.openAPIVersion == "3.0.3")
        #expect(imported.suggestedName == "CornerBakery")
        #expect(imported.version == "2.1")
        #expect(imported.description == "Bread and rolls")
        #expect(imported.context == "/bakery")
        #expect(imported.endpoints == ["http://localhost:9000/bakery"])
        let operations = imported.operations.map { "\($0.verb) \($0.target) \($0.authType ?? "-") \($0.scopes)" }
        #expect(operations.contains("GET /loaves None []"))
        #expect(operations.contains("POST /loaves Application & Application User [\"bake\"]"))
        #expect(operations.contains("DELETE /loaves/{id} Application User []"))
        #expect(imported.operations.first { $0.verb == "POST" }?.throttlingPolicy == "Unlimited")
        #expect(imported.scopes.map(\.name) == ["bake"])
        #expect(imported.scopes.first?.bindings == ["admin", "Internal/creator"])
    }

    @Test func openAPI31AndSwagger20AreReadToo() throws {
        let kiosk = try read(Self.kiosk31)
        #expect(kiosk.openAPIVersion == "3.1.0")
        #expect(kiosk.operations.map { "\($0.verb) \($0.target)" } == ["GET /tickets"])
        #expect(kiosk.context == nil)

        let garage = try read(Self.garage20)
        #expect(garage.openAPIVersion == "2.0")
        #expect(garage.context == "/doors/v1")
        #expect(garage.endpoints == ["https://garage.example/doors/v1"])
        #expect(garage.operations.map { "\($0.verb) \($0.target) \($0.scopes)" } == ["PUT /doors/{door} [\"open\"]"])
        #expect(garage.scopes.first?.bindings == ["admin"])
    }

    @Test func errorsNameTheirPathInTheDocument() throws {
        let badResponses = """
            {"openapi": "3.0.1", "info": {"title": "x", "version": "1"},
             "paths": {"/menu": {"get": {"responses": "none"}}}}
            """
        let error = #expect(throws: OpenAPIImportError.self) { _ = try read(badResponses) }
        #expect(error?.description.contains("/menu") == true, "\(String(describing: error))")
        #expect(error?.description.contains("responses") == true)
        let badParameter = """
            {"swagger": "2.0", "info": {"title": "x", "version": "1"},
             "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "cookie"}]}}}}
            """
        #expect(throws: OpenAPIImportError(path: "paths./a.get.parameters[0].in", "Must be query, path, header, body or formData, not cookie")) {
            _ = try read(badParameter)
        }
        #expect(throws: OpenAPIImportError.self) { _ = try read(#"{"openapi": "4.0.0", "info": {}, "paths": {}}"#) }
        #expect(throws: OpenAPIImportError.self) { _ = try read(#"{"info": {"title": "x"}}"#) }
        let noOperations = #"{"openapi": "3.0.0", "info": {"title": "x", "version": "1"}, "paths": {}}"#
        #expect(throws: OpenAPIImportError(path: "paths", "The document declares no operation (GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS)")) {
            _ = try read(noOperations)
        }
    }

    @Test func importCreatesTheAPIWithAdditionalPropertiesOverTheDocument() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let created = try await client.upload(
                "\(Client.publisher)/apis/import-openapi",
                parts: [
                    ("file", "bakery.yaml", Data(Self.bakery30.utf8)),
                    ("additionalProperties", nil, Data(#"{"context": "/rolls", "policies": ["Gold"]}"#.utf8)),
                ]
            )
            #expect(created.status == .created, "\(created.text)")
            let api = try created.object
            #expect(api["name"] as? String == "CornerBakery")
            #expect(api["version"] as? String == "2.1")
            #expect(api["context"] as? String == "/rolls")
            let operations = try #require(api["operations"] as? [[String: Any]])
            #expect(operations.count == 3)
            let endpoint = (api["endpointConfig"] as? [String: Any])?["production_endpoints"] as? [String: Any]
            #expect(endpoint?["url"] as? String == "http://localhost:9000/bakery")

            // Inline, Swagger 2.0; a broken document is refused with its path.
            let inline = try await client.upload(
                "\(Client.publisher)/apis/import-openapi", parts: [("inlineAPIDefinition", nil, Data(Self.garage20.utf8))]
            )
            #expect(inline.status == .created, "\(inline.text)")
            #expect(try inline.object["context"] as? String == "/doors/v1")
            let broken = try await client.upload(
                "\(Client.publisher)/apis/import-openapi",
                parts: [("file", "x.json", Data(#"{"openapi": "3.0.1", "info": {"title": "x", "version": "1"}, "paths": {"/m": {"get": {"responses": 7}}}}"#.utf8))]
            )
            #expect(broken.status == .badRequest)
            #expect(broken.text.contains("/m"))
            let byURL = try await client.upload(
                "\(Client.publisher)/apis/import-openapi", parts: [("url", nil, Data("https://example.com/x.json".utf8))]
            )
            #expect(byURL.status == .badRequest)
            // Subscribers may not create APIs.
            let refused = try await client.upload(
                "\(Client.publisher)/apis/import-openapi", as: "alice", parts: [("file", "k.json", Data(Self.kiosk31.utf8))]
            )
            #expect(refused.status == .forbidden)
        }
    }

    @Test func validateSummarizesOrListsTheErrors() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let valid = try await client.upload(
                "\(Client.publisher)/apis/validate-openapi?returnContent=true",
                parts: [("file", "garage.json", Data(Self.garage20.utf8))]
            )
            #expect(valid.status == .ok)
            let answer = try valid.object
            #expect(answer["isValid"] as? Bool == true)
            #expect(answer["content"] as? String == Self.garage20)
            let info = try #require(answer["info"] as? [String: Any])
            #expect(info["name"] as? String == "GarageDoors")
            #expect(info["context"] as? String == "/doors/v1")
            #expect(info["openAPIVersion"] as? String == "2.0")
            #expect((info["operations"] as? [[String: Any]])?.count == 1)

            let invalid = try await client.upload(
                "\(Client.publisher)/apis/validate-openapi",
                parts: [("file", "bad.json", Data(#"{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {"/a": 3}}"#.utf8))]
            )
            #expect(invalid.status == .ok)
            let refusal = try invalid.object
            #expect(refusal["isValid"] as? Bool == false)
            let errors = try #require(refusal["errors"] as? [[String: Any]])
            #expect(errors.first?["description"] as? String == "paths./a: Must be an object")
        }
    }
}

extension Client {
    /// A multipart form POST as `user` (default `chris`, a creator).
    func upload(_ uri: String, as user: String = "chris", parts: [(name: String, fileName: String?, body: Data)])
        async throws -> Answer
    {
        let boundary = "sluice-openapi-test"
        var body = Data()
        for part in parts {
            var disposition = "Content-Disposition: form-data; name=\"\(part.name)\""
            if let fileName = part.fileName { disposition += "; filename=\"\(fileName)\"" }
            body.append(Data("--\(boundary)\r\n\(disposition)\r\n\r\n".utf8))
            body.append(part.body)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        let credentials = Data("\(user):\(ManagementFixture.password(user))".utf8).base64EncodedString()
        return try await send(
            .post,
            uri,
            headers: [.authorization: "Basic \(credentials)", .contentType: "multipart/form-data; boundary=\(boundary)"],
            body: ByteBuffer(data: body)
        )
    }
}
