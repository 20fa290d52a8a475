internal import CLibXML2
import SluiceModel
internal import SluiceXML

/// `<validate>` ready to run: the schema is compiled once per deployment; each message's source is checked against
/// it, and `on-fail` runs (then the sequence goes on after `<validate>`, as in Synapse) with `ERROR_MESSAGE` holding
/// every problem, one per line, when it is not valid or the source selects nothing.
///
/// The schema from local entries: an XML Schema (libxml2) for XML messages, several `<schema key>` entries combined
/// into one and their `schemaLocation`s resolved through `<resource>` (`XMLSchemaValidator`), or a JSON Schema
/// (`JSONSchema`) for JSON messages (the last key's, as Synapse reads it), told apart by the entry's text; or, for one
/// dynamic key (`{expression}`), whichever of the deployment's schema local entries the key names for the message.
struct CompiledValidateMediator: CompiledMediator {
    enum Schema {
        case xml(XMLSchemaValidator, source: String, namespaces: [String: String])
        /// `source` is a `json-eval` expression; nil validates the whole JSON payload.
        case json(JSONSchema, source: CompiledExpression?)
    }

    /// The schema, or the schemas a dynamic key may name.
    enum Schemas {
        case fixed(Schema)
        /// `<schema key="{expression}"/>`: every local entry that holds a schema, compiled at deploy time, picked by
        /// the key's value per message; an entry that does not compile keeps its reason for the message naming it.
        case dynamic(CompiledExpression, [String: Result<Schema, MediationCompileError>])
    }

    let schemas: Schemas
    let jsonSource: Bool
    let onFail: [any CompiledMediator]

    /// Synapse's default source: the first element of the SOAP body (the root of a plain XML payload).
    static let defaultSource = "$body/*[1]"

    init(_ node: ValidateMediator, compilation: inout MediatorCompilation) throws(MediationCompileError) {
        try Self.checkFeatures(node.features, compilation: &compilation)
        // Synapse matches a schemaLocation's text exactly; the first <resource> for a location wins.
        var resources: [String: String] = [:]
        for resource in node.resources where resources[resource.location] == nil {
            resources[resource.location] = resource.key
        }
        let keys = node.schemaKeys
        if let key = keys.first, keys.count == 1, let text = DynamicKey.expressionText(key) {
            let expression: SynapseExpression
            do {
                expression = try SynapseExpression(parsing: text)
            } catch {
                throw compilation.error(.invalidExpression(text, reason: error.reason))
            }
            var candidates: [String: Result<Schema, MediationCompileError>] = [:]
            for (entry, content) in compilation.scope.localEntries.entries {
                guard let text = content.text, Self.looksLikeSchema(text) else { continue }
                do throws(MediationCompileError) {
                    candidates[entry] = .success(
                        try Self.schema([(entry, text)], resources: resources, source: node.source, compilation: &compilation)
                    )
                } catch {
                    candidates[entry] = .failure(error)
                }
            }
            schemas = .dynamic(try compilation.expression(expression), candidates)
        } else {
            if keys.count > 1, let dynamic = keys.first(where: { DynamicKey.expressionText($0) != nil }) {
                throw compilation.error(.unsupported("<validate> with several schemas where one is a dynamic key ('\(dynamic)')"))
            }
            var texts: [(key: String, text: String)] = []
            for key in keys {
                texts.append((key, try compilation.resourceText(forKey: key, usedFor: "a validate schema")))
            }
            schemas = .fixed(try Self.schema(texts, resources: resources, source: node.source, compilation: &compilation))
        }
        jsonSource = node.jsonSource ?? false
        onFail = try compilation.compile(node.onFail)
    }

    /// An XML Schema (its namespace in the text) or a JSON object, which a dynamic key may name.
    private static func looksLikeSchema(_ text: String) -> Bool {
        text.trimmingWhitespace().hasPrefix("{") || text.contains("http://www.w3.org/2001/XMLSchema")
    }

    /// A JSON Schema when the last entry is JSON (Synapse validates JSON against the last key's entry), otherwise
    /// one XML Schema from every entry.
    private static func schema(
        _ texts: [(key: String, text: String)],
        resources: [String: String],
        source: SynapseExpression?,
        compilation: inout MediatorCompilation
    ) throws(MediationCompileError) -> Schema {
        if let last = texts.last, last.text.trimmingWhitespace().hasPrefix("{") {
            return try jsonSchema(last.text, key: last.key, source: source, compilation: &compilation)
        }
        return try xmlSchema(texts, resources: resources, source: source, compilation: &compilation)
    }

    /// The schema for this message: the fixed one, or the one the dynamic key names. A key naming no schema is a
    /// fault (the fault sequence answers), as Synapse's "No Schema is available with the key" exception is.
    private func schema(for context: inout MessageContext) throws(MediationFault) -> Schema {
        switch schemas {
        case .fixed(let schema):
            return schema
        case .dynamic(let expression, let candidates):
            let key = try expression.string(&context)?.trimmingWhitespace() ?? ""
            switch candidates[key] {
            case .success(let schema)?:
                return schema
            case .failure(let error)?:
                throw MediationFault(
                    code: SynapseErrorCode.mediationFailed,
                    message: "Error creating a new schema objects for schemas : [\(key)]",
                    detail: MediationCompileError(error.kind).description
                )
            case nil:
                // Synapse's own words (a SynapseException, so ERROR_MESSAGE holds them).
                throw MediationFault(
                    code: SynapseErrorCode.mediationFailed,
                    message: "No Schema is available with the key : \(key)"
                )
            }
        }
    }

    private static func jsonSchema(
        _ text: String,
        key: String,
        source: SynapseExpression?,
        compilation: inout MediatorCompilation
    ) throws(MediationCompileError) -> Schema {
        let compiled: JSONSchema
        do {
            compiled = try JSONSchema(text: text)
        } catch {
            throw compilation.error(.invalidConfiguration(className: "validate schema '\(key)'", reason: error.message))
        }
        switch source?.kind {
        case nil, .body?:
            return .json(compiled, source: nil)
        case .jsonPath?:
            return .json(compiled, source: try compilation.expression(source!))
        default:
            throw compilation.error(
                .unsupported("<validate> source '\(source?.source ?? "")' with a JSON Schema; use json-eval(...)")
            )
        }
    }

    private static func xmlSchema(
        _ texts: [(key: String, text: String)],
        resources: [String: String],
        source: SynapseExpression?,
        compilation: inout MediatorCompilation
    ) throws(MediationCompileError) -> Schema {
        let validator: XMLSchemaValidator
        let entries = compilation.scope.localEntries
        do {
            validator = try XMLSchemaValidator(schemas: texts, resources: resources) { entries.content(forKey: $0)?.text }
        } catch {
            let names = texts.map { "'\($0.key)'" }.joined(separator: ", ")
            throw compilation.error(
                .invalidConfiguration(className: "validate schema \(names)", reason: "line \(error.line): \(error.message)")
            )
        }
        switch source?.kind {
        case nil, .body?:
            return .xml(validator, source: defaultSource, namespaces: [:])
        case .xpath(let path)?:
            if let reason = XPathEngine.syntaxError(in: path) {
                throw compilation.error(.invalidExpression(path, reason: reason))
            }
            return .xml(validator, source: path, namespaces: source?.namespaces ?? [:])
        default:
            throw compilation.error(.unsupported("<validate> source '\(source?.source ?? "")'; use an XPath"))
        }
    }

    var readsBody: Bool { true }
    var references: [MediationReference] { onFail.allReferences }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        var isJSON = jsonSource
        if !isJSON { isJSON = try context.jsonBody(for: "validate") != nil }
        switch try schema(for: &context) {
        case .xml(let validator, let source, let namespaces):
            if isJSON {
                throw MediationFault.mediatorFailed("validate", "the message is JSON but the schema is an XML Schema")
            }
            return try validateXML(&context, validator: validator, source: source, namespaces: namespaces)
        case .json(let validator, let source):
            guard isJSON, let payload = try context.jsonBody(for: "validate") else {
                throw MediationFault.mediatorFailed("validate", "the message is not JSON but the schema is a JSON Schema")
            }
            var value: JSONValue? = payload
            if let source {
                value = if case .json(let selected) = try source.evaluate(&context) { selected } else { nil }
            }
            guard let value else {
                return fail(&context, message: "Error occurred while accessing source element: " + (source?.source ?? ""), problems: [
                    "'\(source?.source ?? "")' selects nothing in the message"
                ])
            }
            let problems = validator.problems(validating: value)
            return problems.isEmpty ? .proceed : fail(&context, problems: problems)
        }
    }

    private func validateXML(
        _ context: inout MessageContext,
        validator: XMLSchemaValidator,
        source: String,
        namespaces: [String: String]
    ) throws(MediationFault) -> MediatorOutcome {
        let payload = try context.xmlPayload(for: "validate")
        let problems: [String]? = try XPathEngine.withResult(
            of: source,
            namespaces: namespaces,
            payload: payload,
            context: context,
            needsDocument: true
        ) { result, _, _ in
            guard result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval, set.pointee.nodeNr > 0,
                let node = set.pointee.nodeTab[0], node.pointee.type == XML_ELEMENT_NODE
            else { return nil }
            return validator.problems(validating: node)
        }
        guard let problems else {
            return fail(&context, message: "Error occurred while accessing source element: " + source, problems: [
                "'\(source)' selects no element of the message"
            ])
        }
        return problems.isEmpty ? .proceed : fail(&context, problems: problems)
    }

    /// Records the problems (`ERROR_MESSAGE` one per line, or `message`) and runs `on-fail`.
    private func fail(_ context: inout MessageContext, message: String? = nil, problems: [String]) -> MediatorOutcome {
        context[property: "ERROR_MESSAGE"] = .string(message ?? problems.map { $0 + "\n" }.joined())
        context[property: "ERROR_DETAIL"] = .string(problems.joined(separator: "\n"))
        return .enter(onFail)
    }
}
