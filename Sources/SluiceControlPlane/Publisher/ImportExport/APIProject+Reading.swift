import Foundation
import SluiceArtifacts

/// A project file that cannot be read, named by its path in the project.
package struct APIProjectError: Error, Sendable, CustomStringConvertible {
    package var path: String
    package var message: String

    package var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// Creates an error.
    package init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

extension APIProject {
    /// Reads a project from its files (see ``files(format:)``). A single top folder around them (apictl's
    /// `Name-version/` inside an archive) is looked through; YAML and JSON metadata are both read.
    /// - Parameter files: The files by path relative to the project (or archive) root.
    /// - Throws: ``APIProjectError`` naming the file and, for a definition, the field.
    package init(files: [String: Data]) throws(APIProjectError) {
        let files = Self.withoutTopFolder(files)
        guard let (definitionPath, definitionBytes) = Self.first(["api.yaml", "api.yml", "api.json"], in: files) else {
            throw APIProjectError(path: "", message: "no api.yaml or api.json: not an API project")
        }
        let definitionJSON = try Self.payload(of: definitionBytes, path: definitionPath, type: "api")
        do throws(APIValidationError) {
            definition = try APIArtifactEmitter(builder: APITemplateBuilder()).definition(
                fromJSON: definitionJSON,
                source: definitionPath
            )
        } catch {
            throw APIProjectError(path: definitionPath, message: error.issues.map(\.description).joined(separator: "; "))
        }
        openAPI = Self.first(["Definitions/swagger.yaml", "Definitions/swagger.yml", "Definitions/swagger.json"], in: files)
            .map { OpenAPIDocument(bytes: $0.1, isYAML: !$0.0.hasSuffix(".json")) }
        let sources = files.keys.filter { $0.hasPrefix("Synapse/") && $0.hasSuffix(".xml") }.sorted()
        guard sources.count <= 1 else {
            throw APIProjectError(path: "Synapse/", message: "holds \(sources.count) XML files; an API has one source")
        }
        synapseSource = try sources.first.map { path throws(APIProjectError) in
            guard let xml = String(data: files[path]!, encoding: .utf8) else {
                throw APIProjectError(path: path, message: "not UTF-8")
            }
            return (String(path.dropFirst("Synapse/".count)), xml)
        }
        documents = try Self.documents(in: files)
        if let (tiersPath, tiersBytes) = Self.first(["tiers.yaml", "tiers.yml", "tiers.json"], in: files) {
            let json = try Self.payload(of: tiersBytes, path: tiersPath, type: "subscription_tiers")
            do {
                tiers = try JSONDecoder().decode([ThrottlePolicyDTO].self, from: Data(json))
            } catch {
                throw APIProjectError(path: tiersPath, message: "not a list of tiers: \(Self.describe(error))")
            }
        } else {
            tiers = []
        }
    }

    /// The documents of `Docs/<name>/document.yaml`, with their text from the other file of the folder.
    static func documents(in files: [String: Data]) throws(APIProjectError) -> [Document] {
        let metadata = files.keys.filter { path in
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 3 && parts[0] == "Docs" && parts[2].hasPrefix("document.")
        }.sorted()
        var documents: [Document] = []
        for path in metadata {
            let json = try payload(of: files[path]!, path: path, type: "document")
            var document: Document
            do {
                document = try JSONDecoder().decode(Document.self, from: Data(json))
            } catch {
                throw APIProjectError(path: path, message: describe(error))
            }
            let folder = (path as NSString).deletingLastPathComponent + "/"
            let contentFiles = files.keys.filter { $0.hasPrefix(folder) && $0 != path && !$0.dropFirst(folder.count).contains("/") }
            let named = folder + safeFileName(document.name)
            if let contentPath = files[named] != nil ? named : (contentFiles.count == 1 ? contentFiles[0] : nil) {
                document.content = files[contentPath]
                if contentPath != named { document.contentFileName = String(contentPath.dropFirst(folder.count)) }
            }
            documents.append(document)
        }
        return documents
    }

    /// apictl's `data` of a metadata file as JSON, checking its `type`; a file without the envelope is its own data.
    static func payload(of bytes: Data, path: String, type: String) throws(APIProjectError) -> [UInt8] {
        var json = Array(bytes)
        if YAMLReader.looksLikeYAML(json, path: path) {
            do throws(YAMLReader.Failure) {
                json = try YAMLReader.json(fromYAML: json)
            } catch {
                throw APIProjectError(path: path, message: error.description)
            }
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json))) else {
            throw APIProjectError(path: path, message: "not valid JSON")
        }
        guard let envelope = object as? [String: Any], let data = envelope["data"] else {
            return json
        }
        guard envelope["type"] as? String == type else {
            throw APIProjectError(path: path, message: "type must be \(type), not \(envelope["type"] ?? "missing")")
        }
        guard let encoded = try? JSONSerialization.data(withJSONObject: data, options: [.fragmentsAllowed]) else {
            throw APIProjectError(path: path, message: "data cannot be read")
        }
        return Array(encoded)
    }

    /// The files below the one folder holding everything (apictl's `Name-version/` of an archive), when there is
    /// such a folder; else the files as they are.
    package static func withoutTopFolder(_ files: [String: Data]) -> [String: Data] {
        let tops = Set(files.keys.map { $0.split(separator: "/", maxSplits: 1).first.map(String.init) ?? $0 })
        guard tops.count == 1, let top = tops.first, files[top] == nil else { return files }
        var inner: [String: Data] = [:]
        for (path, data) in files { inner[String(path.dropFirst(top.count + 1))] = data }
        return inner
    }

    static func first(_ paths: [String], in files: [String: Data]) -> (String, Data)? {
        for path in paths { if let data = files[path] { return (path, data) } }
        return nil
    }

    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        return PublisherAPIService.describe(decoding)
    }
}
