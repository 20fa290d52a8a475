import Foundation
import SluiceArtifacts
import SluiceControlPlane
import SluiceModel
import Testing

/// The apictl-style project: files written and read back (YAML and JSON), zip archives, and the refusals of a
/// project or archive that cannot be read.
@Suite struct APIProjectTests {
    static func sampleProject() throws -> APIProject {
        let json = Data(Client.apiJSON(extra: #", "lifeCycleStatus": "PUBLISHED", "provider": "chris""#).utf8)
        let definition = try JSONDecoder().decode(APIDefinition.self, from: json)
        return APIProject(
            definition: definition,
            openAPI: APIProject.OpenAPIDocument(bytes: Data("openapi: 3.0.3\n".utf8), isYAML: true),
            synapseSource: ("chris--PizzaShack_v1.0.0.xml", "<api xmlns=\"http://ws.apache.org/ns/synapse\"/>"),
            documents: [
                APIProject.Document(
                    name: "Guide", type: "HOWTO", sourceType: "MARKDOWN", summary: "How to order",
                    visibility: "API_LEVEL", content: Data("# Ordering\n".utf8)
                ),
                APIProject.Document(name: "Forum", type: "PUBLIC_FORUM", sourceType: "URL", sourceUrl: "https://forum.example"),
                APIProject.Document(
                    name: "Menu/2024", type: "OTHER", sourceType: "FILE", content: Data([0, 1, 2, 255]),
                    contentFileName: "menu.pdf"
                ),
            ],
            tiers: [ThrottlePolicyDTO(ThrottleTier(name: "Gold", maxCount: 5000))]
        )
    }

    private func expectSame(_ read: APIProject, _ written: APIProject) {
        #expect(read.definition == written.definition)
        #expect(read.openAPI == written.openAPI)
        #expect(read.synapseSource?.fileName == written.synapseSource?.fileName)
        #expect(read.synapseSource?.xml == written.synapseSource?.xml)
        #expect(read.documents.sorted { $0.name < $1.name } == written.documents.sorted { $0.name < $1.name })
        #expect(read.tiers.map(\.policyName) == written.tiers.map(\.policyName))
        #expect(read.tiers.first?.defaultLimit.requestCount?.requestCount == 5000)
    }

    @Test(arguments: APIProject.Format.allCases)
    func filesReadBackAsWritten(format: APIProject.Format) throws {
        let project = try Self.sampleProject()
        let files = try project.files(format: format)
        let ext = format == .yaml ? "yaml" : "json"
        #expect(Set(files.keys) == [
            "api.\(ext)", "Definitions/swagger.yaml", "Synapse/chris--PizzaShack_v1.0.0.xml",
            "Docs/Guide/document.\(ext)", "Docs/Guide/Guide", "Docs/Forum/document.\(ext)",
            "Docs/Menu_2024/document.\(ext)", "Docs/Menu_2024/menu.pdf", "tiers.\(ext)",
        ])
        let api = String(decoding: files["api.\(ext)"]!, as: UTF8.self)
        #expect(api.contains("type: api") || api.contains(#""type" : "api""#))
        expectSame(try APIProject(files: files), project)
    }

    @Test func aZipArchiveHoldsTheProjectUnderApictlsFolder() throws {
        let project = try Self.sampleProject()
        #expect(project.rootFolderName == "PizzaShack-1.0.0")
        #expect(project.archiveName == "PizzaShack_1.0.0.zip")
        let archive = try APIProjectArchive.zip(try project.files(), rootFolder: project.rootFolderName)
        #expect(APIProjectArchive.isZip(archive))
        let files = try APIProjectArchive.files(inZip: archive)
        #expect(files.keys.allSatisfy { $0.hasPrefix("PizzaShack-1.0.0/") })
        expectSame(try APIProject(files: files), project)
    }

    @Test func aFolderReadsBackAsWritten() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-project-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let project = try Self.sampleProject()
        try APIProjectArchive.write(try project.files(), toFolder: folder, replacing: false)
        expectSame(try APIProject(files: try APIProjectArchive.files(inFolder: folder)), project)
        // An existing project is kept unless replacing is asked for.
        #expect(throws: APIProjectError.self) {
            try APIProjectArchive.write(try project.files(), toFolder: folder, replacing: false)
        }
        try APIProjectArchive.write(try project.files(format: .json), toFolder: folder, replacing: true)
        #expect(FileManager.default.fileExists(atPath: folder + "/api.json"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/api.yaml"))
    }

    @Test func aBareDefinitionWithoutTheEnvelopeIsRead() throws {
        let project = try APIProject(files: ["api.json": Data(Client.apiJSON().utf8)])
        #expect(project.definition.name == "PizzaShack")
        #expect(project.documents.isEmpty && project.openAPI == nil && project.synapseSource == nil)
    }

    @Test func unreadableProjectsNameTheFile() throws {
        func problem(_ files: [String: Data]) -> String {
            do {
                _ = try APIProject(files: files)
                return "read"
            } catch {
                return error.description
            }
        }
        #expect(problem(["README.md": Data()]).contains("no api.yaml or api.json"))
        #expect(problem(["api.yaml": Data("type: document\nversion: v4\ndata: {}\n".utf8)]) == "api.yaml: type must be api, not document")
        #expect(problem(["api.yaml": Data("data: [\n".utf8)]).hasPrefix("api.yaml: line"))
        #expect(problem(["api.json": Data(#"{"type": "api", "data": {"name": 3}}"#.utf8)]).hasPrefix("api.json: name"))
        let twoSources = [
            "api.json": Data(Client.apiJSON().utf8), "Synapse/a.xml": Data("<api/>".utf8), "Synapse/b.xml": Data("<api/>".utf8),
        ]
        #expect(problem(twoSources).contains("Synapse/: holds 2 XML files"))
        let badDocument = ["api.json": Data(Client.apiJSON().utf8), "Docs/Guide/document.json": Data(#"{"name": "Guide"}"#.utf8)]
        #expect(problem(badDocument).hasPrefix("Docs/Guide/document.json: type"))
    }

    @Test func archivesThatLeaveTheFolderOrAreNotZipAreRefused() throws {
        #expect(throws: APIProjectError.self) { try APIProjectArchive.files(inZip: Data("not a zip".utf8)) }
        let escaping = try APIProjectArchive.zip(["../evil.yaml": Data("x".utf8)], rootFolder: "A-1")
        // "A-1/../evil.yaml" leaves the project once the archive's folder is taken off.
        do {
            _ = try APIProjectArchive.files(inZip: escaping)
            Issue.record("an archive path with .. was accepted")
        } catch {
            #expect(error.message == "leaves the project folder")
        }
        #expect(throws: APIProjectError.self) {
            try APIProjectArchive.write(["/etc/evil": Data()], toFolder: NSTemporaryDirectory() + UUID().uuidString, replacing: false)
        }
    }
}
