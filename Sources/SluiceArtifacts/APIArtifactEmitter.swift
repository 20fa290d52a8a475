public import SluiceModel
import SluiceSynapse

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads an API definition document and produces the Synapse XML files the publisher would deploy for it;
/// the engine behind `sluice api emit`.
///
/// ```swift
/// let emitter = APIArtifactEmitter()
/// let definition = try emitter.definition(fromJSON: bytes, source: "pizzashack-api.json")
/// for file in try emitter.emit(definition) { print(file.fileName, file.xml) }
/// ```
public struct APIArtifactEmitter: Sendable {
    /// Builds the artifacts.
    public var builder: APITemplateBuilder

    /// Creates an emitter.
    public init(builder: APITemplateBuilder = APITemplateBuilder()) {
        self.builder = builder
    }

    /// One file to write.
    public struct EmittedFile: Sendable, Hashable {
        /// `<provider>--<name>_v<version>.xml` or, for the default version, `<provider>--<name>.xml`.
        public var fileName: String
        /// The canonical Synapse XML of the artifact.
        public var xml: String
    }

    /// Decodes a publisher DTO (JSON).
    /// - Parameters:
    ///   - bytes: The document.
    ///   - source: The document's name, used in messages.
    /// - Throws: `APIValidationError` naming the field that could not be read.
    public func definition(fromJSON bytes: [UInt8], source: String) throws(APIValidationError) -> APIDefinition {
        do {
            return try JSONDecoder().decode(APIDefinition.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw APIValidationError(issues: [Self.issue(for: error)])
        } catch {
            throw APIValidationError(issues: [APIValidationError.Issue(field: source, message: "\(error)")])
        }
    }

    /// The XML files for the definition in `status`: the versioned artifact, plus the default-version one when
    /// the definition is the default version.
    /// - Parameters:
    ///   - definition: The API.
    ///   - status: The lifecycle state to render; nil means the definition's `lifeCycleStatus`.
    /// - Throws: `APIValidationError` when the definition cannot be deployed.
    public func emit(
        _ definition: APIDefinition,
        status: APILifecycleState? = nil
    ) throws(APIValidationError)
        -> [EmittedFile]
    {
        try builder.artifacts(for: definition, status: status).map {
            EmittedFile(fileName: $0.fileName, xml: SynapseSerializer.xml(for: $0.api))
        }
    }

    // MARK: - Decoding errors

    private static func issue(for error: DecodingError) -> APIValidationError.Issue {
        switch error {
        case .keyNotFound(let key, let context):
            return APIValidationError.Issue(
                field: path(context.codingPath + [key]),
                message: "\(key.stringValue) is required"
            )
        case .typeMismatch(let type, let context):
            return APIValidationError.Issue(
                field: path(context.codingPath),
                message: "expected \(describe(type)) (\(context.debugDescription))"
            )
        case .valueNotFound(let type, let context):
            return APIValidationError.Issue(
                field: path(context.codingPath),
                message: "expected \(describe(type)), found null"
            )
        case .dataCorrupted(let context):
            return APIValidationError.Issue(field: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            return APIValidationError.Issue(field: "(document)", message: "\(error)")
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        let name = CodingPath.fieldName(codingPath)
        return name.isEmpty ? "(document)" : name
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        default: "\(type)"
        }
    }
}
