import Foundation
import HTTPTypes
import Logging
import SluiceControlPlane
import SluiceModel
import Synchronization
import Testing

/// WSO2's `GET /apis/export` and `POST /apis/import` between two servers: the same API (operations, state,
/// provider, documents, hand-edited source) arrives; conflicts, missing APIs, scopes and bad archives are refused.
@Suite(.timeLimit(.minutes(1))) struct APIImportExportTests {
    static let export = "\(Client.publisher)/apis/export"
    static let importURI = "\(Client.publisher)/apis/import"

    static let admin = Principal(username: "admin", roles: ["admin"], scopes: Role.admin.scopes, method: .basic)

    /// A published PizzaShack with a markdown guide and a hand-edited source, on `fixture`.
    private func sourceAPI(_ fixture: ManagementFixture, _ client: Client) async throws -> String {
        let apiID = try await client.publishedAPI()
        let document = try await client.post(
            "\(Client.publisher)/apis/\(apiID)/documents",
            as: "chris",
            json: ##"{"name": "Guide", "type": "HOWTO", "sourceType": "MARKDOWN", "inlineContent": "# Ordering"}"##
        )
        #expect(document.status == .created, "\(document.text)")
        let sources = APISourceService(services: fixture.services, logger: Logger(label: "test"))
        let generated = try #require(try await sources.view(apiID: apiID).generated)
        let edited = generated.replacingOccurrences(of: "</api>", with: "<!-- edited by hand --></api>")
        _ = try await sources.save(edited, apiID: apiID, by: Self.admin)
        return apiID
    }

    private func exported(_ client: Client, _ query: String = "name=PizzaShack&version=1.0.0") async throws -> Data {
        let answer = try await client.get("\(Self.export)?\(query)", as: "admin")
        #expect(answer.status == .ok, "\(answer.text)")
        #expect(answer.headers[.contentType] == "application/zip")
        #expect(answer.headers[.contentDisposition] == #"attachment; filename="PizzaShack_1.0.0.zip""#)
        return answer.data
    }

    private func upload(_ client: Client, _ archive: Data, query: String = "", as user: String = "admin") async throws
        -> Answer
    {
        try await client.upload("\(Self.importURI)\(query)", as: user, parts: [("file", "PizzaShack.zip", archive)])
    }

    @Test func anExportedAPIArrivesWholeOnAnotherServer() async throws {
        let source = try await ManagementFixture()
        let exportedAPI = Mutex<(archive: Data, operations: [[String: String]])>((Data(), []))
        try await source.test { client in
            let apiID = try await sourceAPI(source, client)
            let archive = try await exported(client)
            // By id too, and the JSON format writes api.json.
            let byID = try await client.get("\(Self.export)?apiId=\(apiID)&format=JSON", as: "chris")
            #expect(byID.status == .ok)
            #expect(try APIProjectArchive.files(inZip: byID.data).keys.contains("PizzaShack-1.0.0/api.json"))
            let api = try await client.get("\(Client.publisher)/apis/\(apiID)", as: "chris")
            let operations = try Self.operations(api)
            exportedAPI.withLock { $0 = (archive, operations) }
        }
        let (archive, sourceOperations) = exportedAPI.withLock { $0 }
        let files = try APIProjectArchive.files(inZip: archive)
        #expect(files.keys.contains("PizzaShack-1.0.0/Docs/Guide/Guide"))
        #expect(files.keys.contains("PizzaShack-1.0.0/tiers.yaml"))
        #expect(files.keys.contains("PizzaShack-1.0.0/Definitions/swagger.json"))

        let target = try await ManagementFixture()
        try await target.test { client in
            // Importing takes apim:api_import_export (or apim:admin); a creator has neither.
            #expect(try await upload(client, archive, as: "chris").status == .forbidden)
            let imported = try await upload(client, archive)
            #expect(imported.status == .ok, "\(imported.text)")
            #expect(imported.text == "API imported successfully.")
            let list = try await client.get("\(Client.publisher)/apis?query=name:PizzaShack", as: "chris")
            let apiID = try #require(try list.list.first?["id"] as? String)
            let api = try await client.get("\(Client.publisher)/apis/\(apiID)", as: "chris")
            #expect(try api.object["lifeCycleStatus"] as? String == "PUBLISHED")
            #expect(try api.object["provider"] as? String == "chris")
            #expect(try api.object["context"] as? String == "/pizzashack")
            #expect(try Self.operations(api) == sourceOperations)
            let documents = try await client.get("\(Client.publisher)/apis/\(apiID)/documents", as: "chris")
            #expect(try documents.list.map { $0["name"] as? String } == ["Guide"])
            let documentID = try #require(try documents.list.first?["documentId"] as? String)
            let content = try await client.get("\(Client.publisher)/apis/\(apiID)/documents/\(documentID)/content", as: "chris")
            #expect(content.text == "# Ordering")
            // The hand-edited source is what the target's gateway got.
            #expect(try target.artifact("chris--PizzaShack_v1.0.0.xml").contains("<!-- edited by hand -->"))

            // Again: a conflict unless overwrite is asked for; then the API is updated in place.
            let again = try await upload(client, archive)
            #expect(again.status == .conflict)
            #expect(again.errorDescription.contains("overwrite=true"))
            let overwritten = try await client.upload(
                "\(Self.importURI)?overwrite=true",
                as: "admin",
                parts: [("file", "PizzaShack.zip", archive)]
            )
            #expect(overwritten.status == .ok, "\(overwritten.text)")
            let listed = try await client.get("\(Client.publisher)/apis?query=name:PizzaShack", as: "chris")
            #expect(try listed.list.count == 1)
            #expect(try await client.get("\(Client.publisher)/apis/\(apiID)/documents", as: "chris").list.count == 1)
        }
    }

    @Test func anotherProviderAndOverwriteOfNothingAndBadArchives() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            _ = try await sourceAPI(fixture, client)
            var project = try APIProject(files: try APIProjectArchive.files(inZip: try await exported(client)))
            project.definition.name = "PizzaShack2"
            project.definition.context = "/pizzashack2"
            project.synapseSource = nil
            let renamed = try APIProjectArchive.zip(try project.files(), rootFolder: project.rootFolderName)

            let nothing = try await upload(client, renamed, query: "?overwrite=true")
            #expect(nothing.status == .notFound)
            #expect(nothing.errorDescription.contains("No API PizzaShack2 1.0.0 to update"))

            let mine = try await upload(client, renamed, query: "?preserveProvider=false")
            #expect(mine.status == .ok, "\(mine.text)")
            let list = try await client.get("\(Client.publisher)/apis?query=name:PizzaShack2", as: "admin")
            #expect(try list.list.first?["provider"] as? String == "admin")

            let broken = try await upload(client, Data("PK\u{3}\u{4}not really".utf8))
            #expect(broken.status == .badRequest)
            #expect(broken.errorDescription.contains("cannot be imported"))
            let noProject = try APIProjectArchive.zip(["README.md": Data("hi".utf8)], rootFolder: "Nothing-1")
            let refused = try await upload(client, noProject)
            #expect(refused.status == .badRequest)
            #expect(refused.errorDescription.contains("no api.yaml or api.json"))
            let bad = try await upload(client, renamed, query: "?overwrite=maybe")
            #expect(bad.status == .badRequest)
        }
    }

    @Test func exportNamesWhatIsMissing() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            _ = try await client.createAPI()
            #expect(try await client.get("\(Self.export)?name=PizzaShack", as: "admin").status == .badRequest)
            #expect(try await client.get("\(Self.export)?name=Nope&version=1.0.0", as: "admin").status == .notFound)
            #expect(try await client.get("\(Self.export)?apiId=00000000-0000", as: "admin").status == .notFound)
            #expect(try await client.get("\(Self.export)?name=PizzaShack&version=1.0.0&format=XML", as: "admin").status == .badRequest)
            #expect(try await client.get("\(Self.export)?name=PizzaShack&version=1.0.0", as: "nobody").status == .forbidden)
            // Without preserveStatus the project imports as a new API.
            let fresh = try await client.get("\(Self.export)?name=PizzaShack&version=1.0.0&preserveStatus=false", as: "admin")
            let project = try APIProject(files: try APIProjectArchive.files(inZip: fresh.data))
            #expect(project.definition.lifeCycleStatus == nil)
        }
    }

    /// `target verb` pairs with their auth type and tier, in order.
    static func operations(_ answer: Answer) throws -> [[String: String]] {
        let operations = try #require(try answer.object["operations"] as? [[String: Any]])
        return operations.map { operation in
            operation.compactMapValues { $0 as? String }
        }
    }
}
