import Foundation
import SluiceArtifacts
import Yams

/// An API project folder, laid out as WSO2's apictl lays one out:
///
/// ```
/// NAME/
///   api.yaml                   type: api, version, data: the API definition (WSO2 publisher fields)
///   Definitions/swagger.yaml   the OpenAPI document (swagger.json when it came as JSON)
///   Sequences/                 in-/out-/fault-sequence XML the API uses (export)
///   Synapse/                   the hand-edited Synapse source, when the API has one (export)
///   Docs/                      documents: <name>.json metadata and their content (export)
///   tiers.yaml                 the subscription and throttling tiers the API names (export)
/// ```
///
/// `sluice init` writes one, `sluice api export` fills one from a server, `sluice api import` reads one.
struct APIProject {
    /// The `api.yaml` file: apictl's envelope around the definition.
    struct Envelope: Codable {
        var type: String
        var version: String
        var data: APIDefinition
    }

    let folder: String

    var definitionPath: String { folder + "/api.yaml" }

    /// Creates the folder, refusing one that exists and is not empty (unless `replacing`).
    func create(replacing: Bool) throws {
        let files = FileManager.default
        if let existing = try? files.contentsOfDirectory(atPath: folder), !existing.isEmpty {
            guard replacing else { throw CLIError("\(folder) exists and is not empty (--force replaces it)") }
            try files.removeItem(atPath: folder)
        }
        try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// Writes `api.yaml`.
    func write(definition: APIDefinition) throws {
        let yaml = try YAMLEncoder().encode(Envelope(type: "api", version: "v4.2.0", data: definition))
        try write(Data(yaml.utf8), to: "api.yaml")
    }

    /// Writes the OpenAPI document as it came: `Definitions/swagger.yaml`, or `swagger.json` for JSON.
    func write(openAPI document: Data, isYAML: Bool) throws {
        try write(document, to: "Definitions/swagger." + (isYAML ? "yaml" : "json"))
    }

    /// Writes `contents` at `relativePath` below the folder, making its folders.
    func write(_ contents: Data, to relativePath: String) throws {
        let path = folder + "/" + relativePath
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        guard FileManager.default.createFile(atPath: path, contents: contents) else {
            throw CLIError("cannot write \(path)")
        }
    }

    /// The definition in `api.yaml` as JSON (the body `POST /apis` takes): apictl's envelope, or a bare
    /// definition.
    func definitionJSON() throws -> [UInt8] {
        guard let bytes = FileManager.default.contents(atPath: definitionPath) else {
            throw CLIError("\(definitionPath): cannot read it (is \(folder) an API project?)")
        }
        let json = try DefinitionFile.json(Array(bytes), path: definitionPath)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any] else {
            throw CLIError("\(definitionPath): not an object")
        }
        guard let data = object["data"] else { return json }
        guard object["type"] as? String == "api" else {
            throw CLIError("\(definitionPath): type must be api, not \(object["type"] ?? "missing")")
        }
        return Array(try JSONSerialization.data(withJSONObject: data))
    }

    /// The files below `relativeFolder`, sorted, as paths relative to it; empty when it does not exist.
    func files(in relativeFolder: String) -> [String] {
        let base = folder + "/" + relativeFolder
        guard let names = FileManager.default.enumerator(atPath: base)?.allObjects as? [String] else { return [] }
        return names.filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: base + "/" + name, isDirectory: &isFolder) && !isFolder.boolValue
        }.sorted()
    }
}
