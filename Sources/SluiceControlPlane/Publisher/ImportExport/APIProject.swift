import Foundation
package import SluiceArtifacts
import Yams

/// An API project, laid out as WSO2's apictl lays out an exported API (`apictl export api`, `apictl init`), and the
/// files it is read from and written to:
///
/// ```
/// Name-version/
///   api.yaml                       type: api, version, data: the definition (WSO2 publisher fields)
///   Definitions/swagger.yaml       the OpenAPI document (swagger.json for JSON)
///   Synapse/<artifact>.xml         the publisher's hand-edited Synapse source, when there is one
///   Docs/<name>/document.yaml      a document's metadata; Docs/<name>/<name> its inline or markdown text
///   tiers.yaml                     the subscription tiers the API names, as the source server defines them
/// ```
///
/// With the JSON format the YAML files are `.json` files of the same shape. `Synapse/` and `tiers.yaml` are
/// Sluice's: apictl has neither (WSO2 keeps mediation in `Policies/` and tiers on the server only).
package struct APIProject: Sendable {
    /// How the metadata files are written.
    package enum Format: String, Sendable, CaseIterable {
        case yaml = "YAML"
        case json = "JSON"

        var fileExtension: String { self == .yaml ? "yaml" : "json" }
    }

    /// One document of the API.
    package struct Document: Sendable, Hashable, Codable {
        package var name: String
        package var type: String
        package var sourceType: String
        package var summary: String?
        package var sourceUrl: String?
        package var visibility: String?
        /// The text of an `INLINE` or `MARKDOWN` document, or the file of a `FILE` one (kept in a file of its own,
        /// not in `document.yaml`).
        package var content: Data?
        /// The name of the content's file: a `FILE` document's upload name; else the document's name.
        package var contentFileName: String?

        enum CodingKeys: String, CodingKey {
            case name, type, sourceType, summary, sourceUrl, visibility
        }

        /// Creates a document.
        package init(
            name: String,
            type: String,
            sourceType: String,
            summary: String? = nil,
            sourceUrl: String? = nil,
            visibility: String? = nil,
            content: Data? = nil,
            contentFileName: String? = nil
        ) {
            self.name = name
            self.type = type
            self.sourceType = sourceType
            self.summary = summary
            self.sourceUrl = sourceUrl
            self.visibility = visibility
            self.content = content
            self.contentFileName = contentFileName
        }
    }

    /// An OpenAPI document as it was given (or generated).
    package struct OpenAPIDocument: Sendable, Hashable {
        package var bytes: Data
        package var isYAML: Bool

        /// Creates a document.
        package init(bytes: Data, isYAML: Bool) {
            self.bytes = bytes
            self.isYAML = isYAML
        }
    }

    /// apictl's envelope of every metadata file: `type`, `version` (of the tool that wrote it), `data`.
    struct Envelope<Payload: Codable>: Codable {
        var type: String
        var version: String
        var data: Payload
    }

    /// The version written into envelopes: WSO2 4.2's apictl, whose layout this follows.
    package static let envelopeVersion = "v4.2.0"

    package var definition: APIDefinition
    package var openAPI: OpenAPIDocument?
    /// The hand-edited Synapse source, and the file name it is kept under (`provider--Name_vVersion.xml`).
    package var synapseSource: (fileName: String, xml: String)?
    package var documents: [Document]
    /// The subscription tiers the API names, as defined where it was exported.
    package var tiers: [ThrottlePolicyDTO]

    /// Creates a project.
    package init(
        definition: APIDefinition,
        openAPI: OpenAPIDocument? = nil,
        synapseSource: (fileName: String, xml: String)? = nil,
        documents: [Document] = [],
        tiers: [ThrottlePolicyDTO] = []
    ) {
        self.definition = definition
        self.openAPI = openAPI
        self.synapseSource = synapseSource
        self.documents = documents
        self.tiers = tiers
    }

    /// The folder apictl names an exported API's files after, `Name-version`.
    package var rootFolderName: String { "\(definition.name)-\(definition.version)" }

    /// The archive name apictl gives an exported API, `Name_version.zip`.
    package var archiveName: String { "\(definition.name)_\(definition.version).zip" }

    // MARK: - Writing

    /// The project's files, by path relative to the project folder.
    /// - Parameter format: YAML or JSON metadata files.
    /// - Throws: ``APIProjectError`` when a value cannot be encoded (a definition that decoded always can).
    package func files(format: Format = .yaml) throws(APIProjectError) -> [String: Data] {
        let ext = format.fileExtension
        var files: [String: Data] = [:]
        files["api.\(ext)"] = try Self.encode(Envelope(type: "api", version: Self.envelopeVersion, data: definition), format)
        if let openAPI {
            files["Definitions/swagger." + (openAPI.isYAML ? "yaml" : "json")] = openAPI.bytes
        }
        if let synapseSource {
            files["Synapse/" + synapseSource.fileName] = Data(synapseSource.xml.utf8)
        }
        files.merge(try Self.documentFiles(documents, format: format)) { $1 }
        if !tiers.isEmpty {
            files["tiers.\(ext)"] = try Self.encode(
                Envelope(type: "subscription_tiers", version: Self.envelopeVersion, data: tiers),
                format
            )
        }
        return files
    }

    /// `Docs/<name>/document.yaml` and the content file of each document (API and API product projects alike).
    static func documentFiles(_ documents: [Document], format: Format) throws(APIProjectError) -> [String: Data] {
        var files: [String: Data] = [:]
        for document in documents {
            let folder = "Docs/" + safeFileName(document.name)
            files[folder + "/document.\(format.fileExtension)"] = try encode(
                Envelope(type: "document", version: envelopeVersion, data: document),
                format
            )
            if let content = document.content {
                files[folder + "/" + safeFileName(document.contentFileName ?? document.name)] = content
            }
        }
        return files
    }

    /// A name usable as one path segment: separators and leading dots become `_`.
    static func safeFileName(_ name: String) -> String {
        var safe = String(name.map { $0 == "/" || $0 == "\\" || $0 == "\0" ? "_" : $0 })
        while safe.hasPrefix(".") { safe = "_" + safe.dropFirst() }
        return safe.isEmpty ? "_" : safe
    }

    static func encode<Payload: Codable>(_ envelope: Envelope<Payload>, _ format: Format)
        throws(APIProjectError) -> Data
    {
        do {
            switch format {
            case .yaml:
                return Data(try YAMLEncoder().encode(envelope).utf8)
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                return try encoder.encode(envelope)
            }
        } catch {
            throw APIProjectError(path: envelope.type, message: "cannot be encoded: \(error)")
        }
    }
}
