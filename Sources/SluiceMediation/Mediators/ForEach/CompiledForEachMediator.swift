import SluiceModel

/// `<foreach>` ready to run: each fragment becomes the message body in turn, the sequence rewrites it, and the
/// result goes back where the fragment was. Properties the sequence sets stay on the message. Synapse's
/// `[id_]FOREACH_ORIGINAL_MESSAGE` (the payload before the loop) and `[id_]FOREACH_COUNTER` (fragments done) are set.
///
/// A JSON path must select arrays: each element is a fragment. An XPath selects elements. No match leaves the
/// message alone. A fragment whose sequence drops the message ends the loop (the rest stay as they were); one whose
/// sequence fails faults the message, or with `continueLoopOnFailure` stays as it was.
struct CompiledForEachMediator: CompiledMediator, NestedMediation {
    let expression: CompiledExpression
    let body: CompiledBranch
    let idPrefix: String
    let continueLoopOnFailure: Bool

    var readsBody: Bool { true }
    var references: [MediationReference] { body.references }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        .runNested(self)
    }

    func run(_ context: inout MessageContext, program: MediationProgram) throws(MediationFault) {
        let original = context.body
        let contentType = context.headers.first(name: "Content-Type")
        context[property: idPrefix + "FOREACH_ORIGINAL_MESSAGE"] = .string(original.text ?? "")
        context[property: idPrefix + "FOREACH_COUNTER"] = .integer(0)
        var loop = Loop(counterName: idPrefix + "FOREACH_COUNTER", continueLoop: continueLoopOnFailure)
        switch expression.kind {
        case .jsonPath(let path):
            guard var root = try context.jsonBody(for: "foreach") else {
                throw MediationFault.mediatorFailed("foreach", "'\(expression.source)' needs a JSON payload")
            }
            try root.visit(path.steps[...]) { value throws(MediationFault) in
                guard case .array(var elements) = value else {
                    throw MediationFault.mediatorFailed(
                        "foreach",
                        "'\(expression.source)' does not select a JSON array that can be iterated"
                    )
                }
                for index in elements.indices where !loop.stopped {
                    let item = MessageBody.text(elements[index].description)
                    guard try loop.runItem(item, contentType: "application/json", body, &context, program) else {
                        continue
                    }
                    elements[index] = try context.jsonBody(for: "foreach") ?? .string(context.body.text ?? "")
                }
                value = .array(elements)
            }
            context.body = .text(root.description)
        case .xpath(let text, let namespaces):
            guard let payload = try context.xmlPayload(for: "foreach") else { return }
            let snapshot = context
            let updated = try XPathEngine.rewriteElements(text, namespaces: namespaces, payload: payload, context: snapshot) {
                markup throws(MediationFault) -> String? in
                guard !loop.stopped,
                    try loop.runItem(.text(markup), contentType: contentType ?? "application/xml", body, &context, program),
                    let result = try context.xmlPayload(for: "foreach")
                else { return nil }
                let first = try XPathEngine.evaluate("$body/*[1]", namespaces: [:], payload: result, context: context)
                guard case .nodes(let nodes) = first, let node = nodes.first else { return nil }
                return node.markup
            }
            context.body = .text(updated)
        default:
            throw MediationFault.mediatorFailed("foreach", "'\(expression.source)' is neither an XPath nor a json-eval path")
        }
        if let contentType {
            context.headers.replaceOrAdd(name: "Content-Type", value: contentType)
        } else {
            context.headers.remove(name: "Content-Type")
        }
    }

    /// The loop's progress over the fragments.
    private struct Loop {
        let counterName: String
        let continueLoop: Bool
        var counter = 0
        var stopped = false

        /// Runs the sequence with `item` as the body; false when the result is not to be used.
        mutating func runItem(
            _ item: MessageBody,
            contentType: String,
            _ body: CompiledBranch,
            _ context: inout MessageContext,
            _ program: MediationProgram
        ) throws(MediationFault) -> Bool {
            context.body = item
            context.headers.replaceOrAdd(name: "Content-Type", value: contentType)
            let goOn: Bool
            do throws(MediationFault) {
                goOn = try body.runToEnd(&context, program: program, owner: "foreach")
            } catch {
                guard continueLoop else { throw error }
                return false
            }
            counter += 1
            context[property: counterName] = .integer(counter)
            if !goOn { stopped = true }
            return true
        }
    }
}
