import SluiceModel

/// `<iterate>` ready to run: makes one message per part and hands them to the execution as a split.
///
/// A JSON path selecting one array splits its elements (several matches split the matches); anything else faults.
/// Each part's message is the part alone (JSON, or the element in an envelope of the message's SOAP version), or
/// with `preservePayload` a copy of the whole payload whose matched parts are removed and the part attached at
/// `attachPath`. No match splits nothing.
struct CompiledIterateMediator: CompiledMediator {
    let expression: CompiledExpression
    let attachPath: CompiledExpression?
    let split: SplitSettings
    let target: CompiledSplitTarget

    var readsBody: Bool { true }
    var references: [MediationReference] { [] }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        let bodies: [(body: String, contentType: String?)]
        switch expression.kind {
        case .jsonPath(let path):
            bodies = try jsonParts(path, context: &context).map { ($0, "application/json") }
        case .xpath(let text, let namespaces):
            bodies = try xmlParts(text, namespaces: namespaces, context: &context).map {
                ($0, context.headers.first(name: "Content-Type"))
            }
        default:
            throw MediationFault.mediatorFailed("iterate", "'\(expression.source)' is neither an XPath nor a json-eval path")
        }
        let correlation = SplitSettings.newCorrelation()
        var messages: [(MessageContext, CompiledSplitTarget)] = []
        messages.reserveCapacity(bodies.count)
        for (index, part) in bodies.enumerated() {
            var message = context
            message.body = .text(part.body)
            if let type = part.contentType { message.headers.replaceOrAdd(name: "Content-Type", value: type) }
            message.headers.remove(name: "Content-Length")
            message.headers.remove(name: "Transfer-Encoding")
            split.mark(&message, index: index, count: bodies.count, correlation: correlation)
            target.prepare(&message)
            messages.append((message, target))
        }
        return .split(SplitPlan(messages: messages, settings: split))
    }

    private func jsonParts(_ path: JSONPath, context: inout MessageContext) throws(MediationFault) -> [String] {
        guard let root = try context.jsonBody(for: "iterate") else {
            throw MediationFault.mediatorFailed("iterate", "'\(expression.source)' needs a JSON payload")
        }
        let selected = path.select(in: root)
        let parts: [JSONValue]
        switch selected.count {
        case 0: return []
        case 1:
            guard case .array(let elements) = selected[0] else {
                throw MediationFault.mediatorFailed(
                    "iterate",
                    "JSON element expressed by the path '\(expression.source)' is not a valid JSON array that can be iterated"
                )
            }
            parts = elements
        default: parts = selected
        }
        guard let attachPath, case .jsonPath(let attach) = attachPath.kind else { return parts.map(\.description) }
        // preservePayload: the whole payload with the split array emptied and the part at attachPath.
        var base = root
        if attach.steps != path.steps {
            _ = try base.update(at: path.steps[...]) { _ throws(MediationFault) in .array([]) }
        }
        var result: [String] = []
        for part in parts {
            var copy = base
            guard try copy.update(at: attach.steps[...], with: { _ throws(MediationFault) in part }) else {
                throw MediationFault.mediatorFailed(
                    "iterate",
                    "Error in attaching the splitted elements: the attach path '\(attach.source)' is not in the payload"
                )
            }
            result.append(copy.description)
        }
        return result
    }

    private func xmlParts(
        _ text: String,
        namespaces: [String: String],
        context: inout MessageContext
    ) throws(MediationFault) -> [String] {
        guard let payload = try context.xmlPayload(for: "iterate") else { return [] }
        let elements = try XPathEngine.selectedElements(text, namespaces: namespaces, payload: payload, context: context)
        guard let attachPath, case .xpath(let attach, let attachNamespaces) = attachPath.kind else {
            guard let version = context.soapVersion else { return elements }
            return elements.map { SplitSettings.envelope($0, version: version) }
        }
        let stripped = try XPathEngine.rewriteElements(text, namespaces: namespaces, payload: payload, context: context) {
            _ throws(MediationFault) -> String? in ""
        }
        var result: [String] = []
        for element in elements {
            do throws(MediationFault) {
                result.append(
                    try XPathEngine.enrich(
                        payload: stripped,
                        target: attach,
                        namespaces: attachNamespaces,
                        content: .markup(element),
                        placement: .child,
                        context: context
                    )
                )
            } catch {
                throw MediationFault.mediatorFailed(
                    "iterate",
                    "Error in attaching the splitted elements: the attach path '\(attach)' selects no element"
                )
            }
        }
        return result
    }
}
