public import SluiceModel
internal import SluiceXML

/// `<aggregate [id=]>[<correlateOn expression=/>][<completeCondition [timeout=seconds]><messageCount [min=] [max=]/>
/// </completeCondition>]<onComplete expression= [sequence=] [enclosingElementProperty=]>mediators</onComplete>
/// </aggregate>`: collects the messages a `clone` or `iterate` (with the same `id`) split from one request, and when
/// all arrived (or `min`/`max` of them, or the timeout passed) merges them and runs `onComplete` with the result.
public struct AggregateMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "aggregate"

    public var id: String?
    public var correlateOn: SynapseExpression?
    /// Seconds; 0 waits without limit.
    public var timeoutSeconds: Int
    /// -1: not set.
    public var minimumMessages: Int
    /// -1: not set.
    public var maximumMessages: Int
    /// What each message contributes: elements (XPath) or a JSON value (`json-eval`).
    public var onCompleteExpression: SynapseExpression
    public var onComplete: SequenceSlot
    /// A property holding the XML element that encloses the merged elements (its name for JSON).
    public var enclosingElementProperty: String?

    public init(
        onCompleteExpression: SynapseExpression,
        onComplete: SequenceSlot = .inline([]),
        id: String? = nil,
        correlateOn: SynapseExpression? = nil,
        timeoutSeconds: Int = 0,
        minimumMessages: Int = -1,
        maximumMessages: Int = -1,
        enclosingElementProperty: String? = nil
    ) {
        self.onCompleteExpression = onCompleteExpression
        self.onComplete = onComplete
        self.id = id
        self.correlateOn = correlateOn
        self.timeoutSeconds = timeoutSeconds
        self.minimumMessages = minimumMessages
        self.maximumMessages = maximumMessages
        self.enclosingElementProperty = enclosingElementProperty
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> AggregateMediator? {
        reader.rejectText(in: element)
        var ok = true
        var correlateOn: SynapseExpression?
        var timeout = 0
        var minimum = -1
        var maximum = -1
        var completion: (expression: SynapseExpression, slot: SequenceSlot, enclosing: String?)?
        for child in element.childElements {
            guard reader.isSynapseNamespace(child) else {
                reader.reportUnknown(child, in: element)
                ok = false
                continue
            }
            switch child.localName {
            case "correlateOn":
                correlateOn = reader.required("expression", of: child).flatMap {
                    reader.expression($0, attribute: "expression", of: child)
                }
                if correlateOn == nil { ok = false }
            case "completeCondition":
                if let text = child.attribute("timeout") {
                    if let value: Int = reader.integer(text, named: "timeout", in: child) { timeout = value } else { ok = false }
                }
                for count in child.childElements {
                    guard reader.isSynapse(count, named: "messageCount") else {
                        reader.reportUnknown(count, in: child)
                        ok = false
                        continue
                    }
                    for (name, slot) in [("min", 0), ("max", 1)] {
                        guard let text = count.attribute(name) else { continue }
                        guard let value: Int = reader.integer(text, named: name, in: count) else {
                            ok = false
                            continue
                        }
                        if slot == 0 { minimum = value } else { maximum = value }
                    }
                }
            case "onComplete":
                let expression = reader.required("expression", of: child).flatMap {
                    reader.expression($0, attribute: "expression", of: child)
                }
                let mediators = reader.readMediators(in: child)
                var slot = SequenceSlot.inline(mediators)
                if let key = child.attribute("sequence") {
                    if !mediators.isEmpty {
                        reader.report("<onComplete> has both 'sequence' and mediators; use one", at: child)
                        ok = false
                    }
                    slot = .key(key)
                }
                if let expression {
                    completion = (expression, slot, child.attribute("enclosingElementProperty"))
                } else {
                    ok = false
                }
            default:
                reader.reportUnknown(child, in: element)
                ok = false
            }
        }
        if completion == nil && ok {
            reader.report("<aggregate> needs an <onComplete expression=\"...\">", at: element)
            ok = false
        }
        guard ok, let completion else { return nil }
        return AggregateMediator(
            onCompleteExpression: completion.expression,
            onComplete: completion.slot,
            id: element.attribute("id"),
            correlateOn: correlateOn,
            timeoutSeconds: timeout,
            minimumMessages: minimum,
            maximumMessages: maximum,
            enclosingElementProperty: completion.enclosing
        )
    }

    func write(to writer: XMLWriter) {
        writer.element("aggregate", ["id": id]) {
            if let correlateOn {
                writer.element("correlateOn", ["expression": correlateOn.source], namespaces: correlateOn.namespaces)
            }
            if timeoutSeconds != 0 || minimumMessages != -1 || maximumMessages != -1 {
                writer.element("completeCondition", ["timeout": timeoutSeconds != 0 ? String(timeoutSeconds) : nil]) {
                    if minimumMessages != -1 || maximumMessages != -1 {
                        writer.element("messageCount", ["min": String(minimumMessages), "max": String(maximumMessages)])
                    }
                }
            }
            var key: String?
            if case .key(let name) = onComplete { key = name }
            writer.element(
                "onComplete",
                [
                    "expression": onCompleteExpression.source, "sequence": key,
                    "enclosingElementProperty": enclosingElementProperty,
                ],
                namespaces: onCompleteExpression.namespaces
            ) {
                if case .inline(let mediators) = onComplete { writer.mediators(mediators) }
            }
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        let expression = try compilation.expression(onCompleteExpression)
        switch expression.kind {
        case .jsonPath, .xpath: break
        default:
            throw compilation.error(
                .unsupported("aggregate onComplete expression '\(onCompleteExpression.source)': use an XPath or json-eval path")
            )
        }
        return CompiledAggregateMediator(
            identity: AggregatorIdentity(),
            id: id,
            correlateOn: try correlateOn.map { value throws(MediationCompileError) in try compilation.expression(value) },
            timeoutSeconds: max(timeoutSeconds, 0),
            minimumMessages: minimumMessages,
            maximumMessages: maximumMessages,
            expression: expression,
            onComplete: try compilation.compileBranch(onComplete),
            enclosingElementProperty: enclosingElementProperty
        )
    }
}

extension MediatorNode {
    /// An `<aggregate>` node.
    public static func aggregate(_ mediator: AggregateMediator) -> MediatorNode { MediatorNode(mediator) }
}
