package import SluiceModel
import SluiceSynapse

/// Checks a hand-edited Synapse source of an API (the publisher's "edit XML source view") before it is stored or
/// deployed: the text must parse as the gateway parses it (libxml2, known mediators, valid attributes) and must
/// stay the artifact of the same API, so storage, the store and the gateway keep agreeing on what the API is.
///
/// ```swift
/// let validator = APISourceValidator(builder: executor.builder)
/// let api = try validator.validate(editedXML, for: definition)   // throws APISourceError with lines and columns
/// ```
package struct APISourceValidator: Sendable {
    /// Names the artifact, its file and its context.
    package var builder: APITemplateBuilder
    // The gateway's parser with its default limits, so a source that passes here deploys there.
    private let parser = SynapseParser()

    /// Creates a validator.
    /// - Parameter builder: The builder whose names the source must keep.
    package init(builder: APITemplateBuilder) {
        self.builder = builder
    }

    /// Parses and checks `xml` as the source of `definition`'s versioned artifact.
    /// - Parameters:
    ///   - xml: The edited source.
    ///   - definition: The API it belongs to (provider, name, version and context set).
    /// - Returns: The parsed artifact.
    /// - Throws: ``APISourceError`` with the line and column of every problem; nothing is written.
    package func validate(_ xml: String, for definition: APIDefinition) throws(APISourceError) -> SynapseAPI {
        try validateReportingWarnings(xml, for: definition).api
    }

    /// ``validate(_:for:)``, and what the parser read past (text and elements Synapse ignores), as the
    /// deployment warns of them.
    package func validateReportingWarnings(
        _ xml: String,
        for definition: APIDefinition
    ) throws(APISourceError) -> (api: SynapseAPI, warnings: [APISourceError.Problem]) {
        do {
            let (api, warnings) = try check(xml, for: definition)
            return (api, warnings.map(Self.problem))
        } catch {
            throw APISourceError(problems: error.diagnostics.map(Self.problem))
        }
    }

    private static func problem(_ diagnostic: SynapseDiagnostic) -> APISourceError.Problem {
        APISourceError.Problem(
            line: max(diagnostic.location.line, 1),
            column: max(diagnostic.location.column, 1),
            message: diagnostic.message
        )
    }

    private func check(
        _ xml: String,
        for definition: APIDefinition
    ) throws(SynapseDiagnostics) -> (api: SynapseAPI, warnings: [SynapseDiagnostic]) {
        let fileName = builder.fileName(for: definition)
        guard !xml.allSatisfy(\.isWhitespace) else {
            throw SynapseDiagnostics(
                message: "the source is empty; use \"Revert to generated\" to go back to the generated artifact",
                location: SourceLocation(file: fileName, line: 1)
            )
        }
        let (artifacts, warnings) = try parser.parseWithWarnings(bytes: Array(xml.utf8), fileName: fileName)
        let start = SourceLocation(file: fileName, line: 1)
        guard artifacts.apis.count == 1, artifacts.sequences.isEmpty, artifacts.endpoints.isEmpty,
            let api = artifacts.apis.first
        else {
            throw SynapseDiagnostics(
                message: "the source of an API must hold exactly one <api> element and no named sequences or endpoints",
                location: start
            )
        }
        let location = api.location ?? start
        var problems: [SynapseDiagnostic] = []
        let name = builder.apiName(for: definition)
        if api.name != name {
            problems.append(
                SynapseDiagnostic(
                    message:
                        "the <api> name must stay '\(name)' (name, provider and version are changed by a new version)",
                    location: location
                )
            )
        }
        let context = builder.versionedContext(for: definition)
        if api.effectiveContext != context {
            problems.append(
                SynapseDiagnostic(
                    message: "the <api> must stay at context '\(context)' (with version \(definition.version))",
                    location: location
                )
            )
        }
        if api.resources.isEmpty {
            problems.append(SynapseDiagnostic(message: "the <api> needs at least one <resource>", location: location))
        }
        guard problems.isEmpty else { throw SynapseDiagnostics(problems) }
        return (api, warnings)
    }
}
