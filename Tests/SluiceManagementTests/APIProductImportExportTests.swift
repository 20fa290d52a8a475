import Foundation
import SluiceControlPlane
import Synchronization
import Testing

/// Issue #21: WSO2's `GET /api-products/export` and `POST /api-products/import` between two servers (each its own
/// SQLite database): the product arrives with its APIs, documents, thumbnail, state and a revision deployed where
/// the source had one; an existing product is a 409 without overwriteAPIProduct; bad and hostile archives are
/// refused with 400 and leave nothing behind.
@Suite(.timeLimit(.minutes(1))) struct APIProductImportExportTests {
    static let products = "\(Client.publisher)/api-products"
    static let export = "\(products)/export?name=Bundle&version=1.0.0"
    static let importURI = "\(products)/import"
    static let thumbnail = APICatalogTests.png

    /// A published Bundle product of PizzaShack and Drinks, with a markdown guide, a thumbnail and a revision
    /// deployed to Default; its archive.
    private func exportedBundle() async throws -> Data {
        let source = try await ManagementFixture()
        let archive = Mutex(Data())
        try await source.test { client in
            let pizza = try await client.publishedAPI()
            let drinks = try await client.publishedAPI(APIProductTests.drinksAPI())
            let created = try await client.post(Self.products, as: "chris", json: APIProductTests.product(pizza, drinks))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.object["id"] as? String)
            let document = try await client.post(
                "\(Self.products)/\(id)/documents", as: "chris",
                json: ##"{"name": "Guide", "type": "HOWTO", "sourceType": "MARKDOWN", "inlineContent": "# Bundles"}"##
            )
            #expect(document.status == .created, "\(document.text)")
            let picture = try await APICatalogTests.putThumbnail(client, id, Self.thumbnail, kind: "api-products")
            #expect(picture.status == .ok, "\(picture.text)")
            let revision = try await client.post("\(Self.products)/\(id)/revisions", as: "chris", json: "{}")
            let revisionID = try #require(try revision.object["id"] as? String)
            let deployed = try await client.post(
                "\(Self.products)/\(id)/deploy-revision?revisionId=\(revisionID)", as: "pat", json: APIRevisionTests.toDefault
            )
            #expect(deployed.status == .created, "\(deployed.text)")
            let published = try await client.post("\(Self.products)/change-lifecycle?apiProductId=\(id)&action=Publish", as: "pat")
            #expect(published.status == .ok, "\(published.text)")

            #expect(try await client.get(Self.export, as: "alice").status == .forbidden)
            #expect(try await client.get("\(Self.products)/export?name=Bundle", as: "admin").status == .badRequest)
            let missing = try await client.get("\(Self.products)/export?name=Nope&version=1.0.0", as: "admin")
            #expect(missing.status == .notFound)
            #expect(try missing.object["code"] as? Int == 900360)
            let answer = try await client.get(Self.export, as: "chris")
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.headers[.contentType] == "application/zip")
            #expect(answer.headers[.contentDisposition] == #"attachment; filename="Bundle_1.0.0.zip""#)
            // The first revision, and the newest, hold the same definition as the working copy here.
            #expect(try await client.get("\(Self.export)&revisionNumber=1", as: "chris").status == .ok)
            #expect(try await client.get("\(Self.export)&revisionNumber=7", as: "chris").status == .notFound)
            #expect(try await client.get("\(Self.export)&latestRevision=true&format=JSON", as: "chris").status == .ok)
            archive.withLock { $0 = answer.data }
        }
        return archive.withLock { $0 }
    }

    private func upload(_ client: Client, _ archive: Data, query: String = "", as user: String = "admin") async throws
        -> Answer
    {
        try await client.upload("\(Self.importURI)\(query)", as: user, parts: [("file", "Bundle.zip", archive)])
    }

    /// How many products and APIs the server holds.
    private func counts(_ client: Client) async throws -> (products: Int, apis: Int) {
        let products = try await client.get(Self.products, as: "admin").object["count"] as? Int ?? -1
        let apis = try await client.get("\(Client.publisher)/apis", as: "admin").object["count"] as? Int ?? -1
        return (products, apis)
    }

    @Test func anExportedProductArrivesWithItsAPIsDocumentsThumbnailAndDeployedRevision() async throws {
        let archive = try await exportedBundle()
        let files = try APIProjectArchive.files(inZip: archive)
        for path in [
            "api_product.yaml", "Definitions/swagger.json", "Docs/Guide/document.yaml", "Docs/Guide/Guide", "Image/icon.png",
            "deployment_environments.yaml", "APIs/PizzaShack-1.0.0/api.yaml", "APIs/Drinks-1.0.0/api.yaml",
        ] {
            #expect(files["Bundle-1.0.0/" + path] != nil, "\(path)")
        }
        #expect(String(decoding: try #require(files["Bundle-1.0.0/api_product.yaml"]), as: UTF8.self).contains("type: api_product"))

        let target = try await ManagementFixture()
        try await target.test { client in
            // Without importAPIs the product's APIs must be here already: nothing is stored.
            let withoutAPIs = try await upload(client, archive)
            #expect(withoutAPIs.status == .notFound, "\(withoutAPIs.text)")
            #expect(withoutAPIs.errorDescription.contains("importAPIs=true"))
            // A creator may import products but not bring APIs (WSO2 ignores importAPIs without api_import_export).
            #expect(try await upload(client, archive, query: "?importAPIs=true", as: "chris").status == .notFound)
            #expect(try await upload(client, archive, as: "alice").status == .forbidden)
            #expect(try await counts(client) == (0, 0))

            let imported = try await upload(client, archive, query: "?importAPIs=true")
            #expect(imported.status == .ok, "\(imported.text)")
            #expect(imported.text == "API Product imported successfully.")
            let list = try await client.get(Self.products, as: "chris").list
            #expect(list.count == 1)
            let id = try #require(list.first?["id"] as? String)
            let product = try await client.get("\(Self.products)/\(id)", as: "chris").object
            #expect(product["state"] as? String == "PUBLISHED")
            #expect(product["provider"] as? String == "chris")
            #expect(product["context"] as? String == "/bundle")
            let parts = try #require(product["apis"] as? [[String: Any]])
            #expect(parts.map { $0["name"] as? String } == ["PizzaShack", "Drinks"])
            #expect(parts.map { ($0["operations"] as? [[String: Any]])?.map { $0["target"] as? String } } == [["/menu"], ["/drinks"]])
            let apis = try await client.get("\(Client.publisher)/apis", as: "chris").list
            #expect(Set(apis.map { $0["name"] as? String }) == ["PizzaShack", "Drinks"])
            #expect(apis.allSatisfy { $0["lifeCycleStatus"] as? String == "PUBLISHED" })

            let documents = try await client.get("\(Self.products)/\(id)/documents", as: "chris").list
            #expect(documents.map { $0["name"] as? String } == ["Guide"])
            let documentID = try #require(documents.first?["documentId"] as? String)
            #expect(try await client.get("\(Self.products)/\(id)/documents/\(documentID)/content", as: "chris").text == "# Bundles")
            #expect(try await client.get("\(Self.products)/\(id)/thumbnail", as: "chris").data == Self.thumbnail)
            let deployments = try await client.get("\(Self.products)/\(id)/deployments", as: "chris")
            #expect(try deployments.list.map { $0["name"] as? String } == ["Default"])
            let revisions = try await client.get("\(Self.products)/\(id)/revisions", as: "chris").list
            #expect(revisions.count == 1)
            // The product's artifact on this server sends each resource to its API's endpoints.
            let artifact = try target.artifact(APIProductTests.file)
            #expect(artifact.contains("http://localhost:9080/pizzashack") && artifact.contains("http://localhost:9082/drinks"))

            // Again: WSO2's 409 unless overwriteAPIProduct; then updated in place (one product, one document).
            let again = try await upload(client, archive, query: "?importAPIs=true")
            #expect(again.status == .conflict)
            #expect(again.errorDescription.contains("overwriteAPIProduct=true"))
            let overwritten = try await upload(client, archive, query: "?overwriteAPIProduct=true&rotateRevision=true")
            #expect(overwritten.status == .ok, "\(overwritten.text)")
            #expect(try await counts(client) == (1, 2))
            #expect(try await client.get("\(Self.products)/\(id)/documents", as: "chris").list.count == 1)
            #expect(try await client.get("\(Self.products)/\(id)/revisions", as: "chris").list.count == 2)
        }
    }

    @Test func badAndHostileArchivesAreRefusedAndLeaveNothing() async throws {
        let archive = try await exportedBundle()
        var files = APIProject.withoutTopFolder(try APIProjectArchive.files(inZip: archive))
        func zipped(_ files: [String: Data]) throws -> Data { try APIProjectArchive.zip(files, rootFolder: "Bundle-1.0.0") }

        var wrongType = files
        wrongType["api_product.yaml"] = Data(
            String(decoding: files["api_product.yaml"]!, as: UTF8.self)
                .replacingOccurrences(of: "type: api_product", with: "type: api").utf8
        )
        var apiOnly = files.filter { $0.key.hasPrefix("APIs/PizzaShack-1.0.0/") }
        apiOnly = Dictionary(uniqueKeysWithValues: apiOnly.map { (String($0.key.dropFirst("APIs/PizzaShack-1.0.0/".count)), $0.value) })
        var notAnImage = files
        notAnImage["Image/icon.png"] = Data("<svg onload=alert(1)>".utf8)
        var elsewhere = files
        elsewhere["deployment_environments.yaml"] = Data(
            "type: deployment_environments\nversion: v4.2.0\ndata:\n- deploymentEnvironment: Mars\n".utf8
        )
        var crowded = files
        for index in 0...APIProjectArchive.maximumEntries { crowded["Docs/x\(index).txt"] = Data() }
        var badOperation = files
        badOperation["api_product.yaml"] = Data(
            String(decoding: files["api_product.yaml"]!, as: UTF8.self)
                .replacingOccurrences(of: "target: /drinks", with: "target: /nowhere").utf8
        )
        files["../escape.txt"] = Data("x".utf8)

        let cases: [(String, Data, String)] = [
            ("zip slip", try zipped(files), "leaves the project folder"),
            ("wrong type", try zipped(wrongType), "type must be api_product"),
            ("an API's archive", try zipped(apiOnly), "no api_product.yaml"),
            ("not an image", try zipped(notAnImage), "Image/icon.png: not a PNG"),
            ("too many files", try zipped(crowded), "more than \(APIProjectArchive.maximumEntries) files"),
            ("not a zip", Data("PK\u{3}\u{4}truncated".utf8), "not a zip archive"),
            ("unknown environment", try zipped(elsewhere), "Mars"),
            // Found only once the APIs are in: the APIs this import made go again.
            ("unknown operation", try zipped(badOperation), "no operation GET /nowhere"),
        ]
        let target = try await ManagementFixture()
        try await target.test { client in
            for (name, data, message) in cases {
                let answer = try await upload(client, data, query: "?importAPIs=true")
                #expect(answer.status == .badRequest, "\(name): \(answer.text)")
                #expect(answer.errorDescription.contains(message), "\(name): \(answer.errorDescription)")
                #expect(try await counts(client) == (0, 0), "\(name)")
            }
            #expect(try target.deployedFiles().isEmpty)
            #expect(try await upload(client, archive, query: "?importAPIs=maybe").status == .badRequest)
        }
    }
}
