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
    /// `<messageCount min=>`; nil when not set (Synapse's -1).
    public var minimumMessages: MessageCountLimit?
    /// `<messageCount max=>`; nil when not set (Synapse's -1).
    public var maximumMessages: MessageCountLimit?
    /// `aggregateElementType` of `<onComplete>`: how JSON results merge (nil: as `root`).
    public var elementType: ElementType?
    /// What each message contributes: elements (XPath) or a JSON value (`json-eval`).
    public var onCompleteExpression: SynapseExpression
    public var onComplete: SequenceSlot
    /// A property holding the XML element that encloses the merged elements (its name for JSON).
    public var enclosingElementProperty: String?

    /// WSO2's `aggregateElementType`.
    public enum ElementType: String, Sendable, Hashable, CaseIterable {
        /// Each message's JSON result is one element of an array (the default).
        case root
        /// Each message's JSON result is an object whose members merge into one object; a member several messages
        /// have becomes an array of their values (arrays concatenate, objects merge).
        case child
    }

    public init(
        onCompleteExpression: SynapseExpression,
        onComplete: SequenceSlot = .inline([]),
        id: String? = nil,
        correlateOn: SynapseExpression? = nil,
        timeoutSeconds: Int = 0,
        minimumMessages: MessageCountLimit? = nil,
        maximumMessages: MessageCountLimit? = nil,
        elementType: ElementType? = nil,
        enclosingElementProperty: String? = nil
    ) {
        self.onCompleteExpression = onCompleteExpression
        self.onComplete = onComplete
        self.id = id
        self.correlateOn = correlateOn
        self.timeoutSeconds = timeoutSeconds
        self.minimumMessages = minimumMessages
        self.maximumMessages = maximumMessages
        self.elementType = elementType
        self.enclosingElementProperty = enclosingElementProperty
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> AggregateMediator? {
        reader.ignoreText(in: element)
        var ok = true
        var correlateOn: SynapseExpression?
        var timeout = 0
        var minimum: MessageCountLimit?
        var maximum: MessageCountLimit?
        var elementType: ElementType?
        var completion: (expression: SynapseExpression, slot: SequenceSlot, enclosing: String?)?
        for child in element.childElements {
            guard reader.isSynapseChild(child, of: element) else {
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
                    reader.rejectChildren(of: count)
                    for (name, slot) in [("min", 0), ("max", 1)] {
                        guard let text = count.attribute(name) else { continue }
                        guard let limit = MessageCountLimit.read(text, named: name, of: count, reader: reader) else {
                            ok = false
                            continue
                        }
                        if slot == 0 { minimum = limit } else { maximum = limit }
                    }
                }
            case "onComplete":
                // Without `expression` Synapse's AggregateMediator keeps its default: the first child of the SOAP
                // body.
                let expression =
                    child.attribute("expression") == nil
                    ? Self.defaultExpression
                    : reader.required("expression", of: child).flatMap {
                        reader.expression($0, attribute: "expression", of: child)
                    }
                if child.attribute("aggregateElementType") != nil {
                    elementType = reader.enumeration("aggregateElementType", of: child, as: ElementType.self)
                    if elementType == nil { ok = false }
                }
                let mediators = reader.readMediators(in: child)
                // An <onComplete> with neither mediators nor `sequence` is a sequence holding <drop/> in Synapse's
                // AggregateMediatorFactory.
                var slot = SequenceSlot.inline(mediators.isEmpty ? [.drop] : mediators)
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
            reader.report("<aggregate> needs an <onComplete>", at: element)
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
            elementType: elementType,
            enclosingElementProperty: completion.enclosing
        )
    }

    func write(to writer: XMLWriter) {
        writer.element("aggregate", ["id": id]) {
            if let correlateOn {
                writer.element("correlateOn", ["expression": correlateOn.source], namespaces: correlateOn.namespaces)
            }
            if timeoutSeconds != 0 || minimumMessages != nil || maximumMessages != nil {
                writer.element("completeCondition", ["timeout": timeoutSeconds != 0 ? String(timeoutSeconds) : nil]) {
                    if minimumMessages != nil || maximumMessages != nil {
                        writer.element(
                            "messageCount",
                            ["min": minimumMessages?.text, "max": maximumMessages?.text],
                            namespaces: (minimumMessages?.namespaces ?? [:]).merging(maximumMessages?.namespaces ?? [:]) { first, _ in first }
                        )
                    }
                }
            }
            var key: String?
            if case .key(let name) = onComplete { key = name }
            writer.element(
                "onComplete",
                [
                    "expression": onCompleteExpression == Self.defaultExpression ? nil : onCompleteExpression.source,
                    "sequence": key,
                    "enclosingElementProperty": enclosingElementProperty, "aggregateElementType": elementType?.rawValue,
                ],
                namespaces: onCompleteExpression.namespaces
            ) {
                if case .inline(let mediators) = onComplete { writer.mediators(mediators) }
            }
        }
    }

    /// What each message contributes when `<onComplete>` has no `expression`: Synapse's default, the first child
    /// of the SOAP 1.1 or SOAP 1.2 body.
    public static let defaultExpression: SynapseExpression = {
        let text = "/s11:Envelope/s11:Body/child::*[position()=1] | /s12:Envelope/s12:Body/child::*[position()=1]"
        return SynapseExpression(
            source: text,
            namespaces: ["s11": "http://schemas.xmlsoap.org/soap/envelope/", "s12": "http://www.w3.org/2003/05/soap-envelope"],
            kind: .xpath(text)
        )
    }()

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        let expression = try compilation.path(onCompleteExpression, usedFor: "aggregate onComplete expression")
        return CompiledAggregateMediator(
            identity: AggregatorIdentity(),
            id: id,
            correlateOn: try correlateOn.map { value throws(MediationCompileError) in try compilation.expression(value) },
            timeoutSeconds: max(timeoutSeconds, 0),
            minimumMessages: try minimumMessages.map { limit throws(MediationCompileError) in try limit.compile(compilation) },
            maximumMessages: try maximumMessages.map { limit throws(MediationCompileError) in try limit.compile(compilation) },
            elementType: elementType ?? .root,
            expression: expression,
            onComplete: try compilation.compileBranch(onComplete),
            enclosingElementProperty: enclosingElementProperty
        )
    }
}

/// `min=`/`max=` of `<messageCount>`: a number, or a `{expression}` evaluated on the first message of each group
/// (Synapse's `Value`, parsed as a decimal number and truncated).
public enum MessageCountLimit: Sendable, Hashable {
    case count(Int)
    case expression(SynapseExpression)

    /// Reads the attribute (a number 0 or below, such as Synapse's -1, sets no limit); nil after reporting a bad one.
    static func read(_ text: String, named name: String, of element: XMLElementNode, reader: ArtifactReader) -> MessageCountLimit? {
        if let expressionText = DynamicKey.expressionText(text) {
            return reader.expression(expressionText, attribute: name, of: element).map(MessageCountLimit.expression)
        }
        guard let number = Double(text.trimmingSpaces()), number.isFinite, abs(number) < 1e9 else {
            reader.report("'\(name)' of <messageCount> must be a number or a {expression}, not '\(text)'", at: element)
            return nil
        }
        return .count(Int(number))
    }

    var text: String {
        switch self {
        case .count(let count): String(count)
        case .expression(let expression): DynamicKey.key(for: expression.source)
        }
    }

    var namespaces: [String: String] {
        if case .expression(let expression) = self { return expression.namespaces }
        return [:]
    }

    func compile(_ compilation: MediatorCompilation) throws(MediationCompileError) -> CompiledMessageCountLimit {
        switch self {
        case .count(let count): .count(count)
        case .expression(let expression): .expression(try compilation.expression(expression))
        }
    }
}

extension MediatorNode {
    /// An `<aggregate>` node.
    public static func aggregate(_ mediator: AggregateMediator) -> MediatorNode { MediatorNode(mediator) }
}
