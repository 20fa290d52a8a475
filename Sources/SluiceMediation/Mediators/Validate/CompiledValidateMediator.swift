internal import CLibXML2
import SluiceModel
internal import SluiceXML

/// `<validate>` ready to run: the schema is compiled once per deployment; each message's source element is checked
/// against it, and `on-fail` runs (then the sequence goes on after `<validate>`, as in Synapse) with
/// `ERROR_MESSAGE` holding every problem, one per line, when it is not valid or the source selects no element.
///
/// One self-contained XML Schema from a local entry; JSON Schemas, several schemas and dynamic keys are refused at
/// deploy time.
struct CompiledValidateMediator: CompiledMediator {
    let schema: XMLSchemaValidator
    let source: String
    let namespaces: [String: String]
    let jsonSource: Bool
    let onFail: [any CompiledMediator]

    /// Synapse's default source: the first element of the SOAP body (the root of a plain XML payload).
    static let defaultSource = "$body/*[1]"

    init(_ node: ValidateMediator, compilation: inout MediatorCompilation) throws(MediationCompileError) {
        guard node.schemaKeys.count == 1, let key = node.schemaKeys.first else {
            throw compilation.error(.unsupported("<validate> with several schemas; combine them into one XML Schema"))
        }
        if key.hasPrefix("{") {
            throw compilation.error(.unsupported("<validate> with a dynamic schema key '\(key)'"))
        }
        let text = try compilation.resourceText(forKey: key, usedFor: "a validate schema")
        if text.trimmingWhitespace().hasPrefix("{") {
            throw compilation.error(.unsupported("JSON Schema validation (schema '\(key)') is not implemented yet"))
        }
        do {
            schema = try XMLSchemaValidator(schemaText: text)
        } catch {
            throw compilation.error(.invalidConfiguration(className: "validate schema '\(key)'", reason: error.message))
        }
        switch node.source?.kind {
        case nil:
            source = Self.defaultSource
            namespaces = [:]
        case .xpath(let text)?:
            if let reason = XPathEngine.syntaxError(in: text) {
                throw compilation.error(.invalidExpression(text, reason: reason))
            }
            source = text
            namespaces = node.source?.namespaces ?? [:]
        case .body?:
            source = Self.defaultSource
            namespaces = [:]
        default:
            throw compilation.error(.unsupported("<validate> source '\(node.source?.source ?? "")'; use an XPath"))
        }
        jsonSource = node.jsonSource ?? false
        onFail = try compilation.compile(node.onFail)
    }

    var readsBody: Bool { true }
    var references: [MediationReference] { onFail.allReferences }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        var isJSON = jsonSource
        if !isJSON { isJSON = try context.jsonBody(for: "validate") != nil }
        if isJSON {
            throw MediationFault.mediatorFailed("validate", "the message is JSON but the schema is an XML Schema")
        }
        let payload = try context.xmlPayload(for: "validate")
        let schema = self.schema
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
            return schema.problems(validating: node)
        }
        guard let problems else {
            context[property: "ERROR_MESSAGE"] = .string("Error occurred while accessing source element: " + source)
            context[property: "ERROR_DETAIL"] = .string("'\(source)' selects no element of the message")
            return .enter(onFail)
        }
        if problems.isEmpty { return .proceed }
        context[property: "ERROR_MESSAGE"] = .string(problems.map { $0 + "\n" }.joined())
        context[property: "ERROR_DETAIL"] = .string(problems.joined(separator: "\n"))
        return .enter(onFail)
    }
}
