internal import CLibXML2
import SluiceModel
internal import SluiceXML

/// `<validate>` ready to run: the schema is compiled once per deployment; each message's source is checked against
/// it, and `on-fail` runs (then the sequence goes on after `<validate>`, as in Synapse) with `ERROR_MESSAGE` holding
/// every problem, one per line, when it is not valid or the source selects nothing.
///
/// One schema from a local entry: an XML Schema (libxml2) for XML messages, or a JSON Schema (`JSONSchema`) for
/// JSON messages, told apart by the entry's text. Several schemas and dynamic keys are refused at deploy time.
struct CompiledValidateMediator: CompiledMediator {
    enum Schema {
        case xml(XMLSchemaValidator, source: String, namespaces: [String: String])
        /// `source` is a `json-eval` expression; nil validates the whole JSON payload.
        case json(JSONSchema, source: CompiledExpression?)
    }

    let schema: Schema
    let jsonSource: Bool
    let onFail: [any CompiledMediator]

    /// Synapse's default source: the first element of the SOAP body (the root of a plain XML payload).
    static let defaultSource = "$body/*[1]"

    init(_ node: ValidateMediator, compilation: inout MediatorCompilation) throws(MediationCompileError) {
        guard node.schemaKeys.count == 1, let key = node.schemaKeys.first else {
            throw compilation.error(.unsupported("<validate> with several schemas; combine them into one schema"))
        }
        if key.hasPrefix("{") {
            throw compilation.error(.unsupported("<validate> with a dynamic schema key '\(key)'"))
        }
        let text = try compilation.resourceText(forKey: key, usedFor: "a validate schema")
        if text.trimmingWhitespace().hasPrefix("{") {
            schema = try Self.jsonSchema(text, key: key, source: node.source, compilation: &compilation)
        } else {
            schema = try Self.xmlSchema(text, key: key, source: node.source, compilation: &compilation)
        }
        jsonSource = node.jsonSource ?? false
        onFail = try compilation.compile(node.onFail)
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
        _ text: String,
        key: String,
        source: SynapseExpression?,
        compilation: inout MediatorCompilation
    ) throws(MediationCompileError) -> Schema {
        let validator: XMLSchemaValidator
        do {
            validator = try XMLSchemaValidator(schemaText: text)
        } catch {
            throw compilation.error(.invalidConfiguration(className: "validate schema '\(key)'", reason: error.message))
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
        switch schema {
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
