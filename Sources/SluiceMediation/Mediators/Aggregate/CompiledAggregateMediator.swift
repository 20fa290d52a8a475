import NIOCore
import SluiceModel

/// Tells one deployed `aggregate` from another, so their collections never mix.
final class AggregatorIdentity: Sendable {}

/// `<aggregate>` ready to run. A message that carries no correlation (it was not split, or by a splitter with
/// another id) goes on past it, as in Synapse; one that does is handed to the exchange's `MessageAggregation`
/// and its flow ends there, unless it completes the group: then the merged message runs `onComplete` and goes on
/// after the aggregate.
struct CompiledAggregateMediator: CompiledMediator {
    let identity: AggregatorIdentity
    let id: String?
    let correlateOn: CompiledExpression?
    let timeoutSeconds: Int
    let minimumMessages: CompiledMessageCountLimit?
    let maximumMessages: CompiledMessageCountLimit?
    let elementType: AggregateMediator.ElementType
    let expression: CompiledExpression
    let onComplete: CompiledBranch
    let enclosingElementProperty: String?
    /// Set for the gathering step a `scatter-gather` or a collection `foreach` ends each of its sequences with: its
    /// own merge, condition and timeout.
    var gather: (any GatherMerge)? = nil

    var readsBody: Bool { true }

    /// How long a new group waits for the rest of its messages; nil: until all arrived.
    var timeout: TimeAmount? {
        if let gather { return gather.timeout }
        return timeoutSeconds > 0 ? .seconds(Int64(timeoutSeconds)) : nil
    }
    var references: [MediationReference] { onComplete.references }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        // A result the scatter-gather's condition refuses is not gathered; its flow ends, as in Synapse.
        if let gather, try !gather.accepts(&context) { return .stop(.finished) }
        let correlation: String
        if let correlateOn {
            switch try correlateOn.evaluate(&context) {
            case .xpath(.boolean(false)):
                return .proceed
            case .none, .xpath(.nodes([])):
                throw MediationFault.mediatorFailed(
                    "aggregate",
                    "Failed to evaluate correlate expression: \(correlateOn.source)"
                )
            default:
                // Synapse keys such a group by the expression itself.
                correlation = correlateOn.source
            }
        } else {
            let name = SplitSettings.correlationProperty + (id.map { "." + $0 } ?? "")
            guard let value = context[property: name]?.stringValue else { return .proceed }
            correlation = value
        }
        return .yield(.aggregate(AggregateContribution(aggregator: self, correlation: correlation)))
    }

    /// The `min` and `max` of a new group, from its first message (0 or below: no limit), as Synapse evaluates them
    /// when it creates the group.
    func limits(for context: MessageContext) throws(MediationFault) -> (minimum: Int, maximum: Int) {
        var context = context
        return (
            try minimumMessages?.value(&context, name: "min") ?? -1,
            try maximumMessages?.value(&context, name: "max") ?? -1
        )
    }

    /// How many messages the split made, from the first message's `messageSequence` ("index/count").
    func expectedCount(_ context: MessageContext) -> Int? {
        let name = SplitSettings.sequenceProperty + (id.map { "." + $0 } ?? "")
        guard let text = context[property: name]?.stringValue, let slash = text.firstIndex(of: "/") else { return nil }
        return Int(text[text.index(after: slash)...])
    }

    /// Merges the collected messages into the first one: JSON values into an array (`{"name": [...]}` with an
    /// enclosing element), XML elements side by side in the body (inside the enclosing element when set).
    func merge(_ messages: [MessageContext]) throws(MediationFault) -> MessageContext {
        if let gather { return try gather.merge(messages) }
        guard var merged = messages.first else {
            throw MediationFault.mediatorFailed("aggregate", "no message to aggregate")
        }
        let enclosing = try enclosingElementProperty.map { name throws(MediationFault) -> String in
            guard let value = merged[property: name]?.stringValue.trimmingWhitespace(), value.hasPrefix("<") else {
                throw MediationFault.mediatorFailed("aggregate", "Enclosing Element property: \(name) not found")
            }
            return value
        }
        switch expression.kind {
        case .jsonPath(let path):
            var items: [JSONValue] = []
            var members = JSONObject()
            for var message in messages {
                guard let json = try message.jsonBody(for: "aggregate") else { continue }
                let selected = path.select(in: json)
                guard elementType == .child else {
                    if selected.count == 1 { items.append(selected[0]) } else if selected.count > 1 { items.append(.array(selected)) }
                    continue
                }
                for value in selected {
                    guard case .object(let object) = value else {
                        throw MediationFault.mediatorFailed(
                            "aggregate",
                            "aggregateElementType=\"child\" needs JSON objects, but \(expression.source) gave \(value)"
                        )
                    }
                    Self.merge(object, into: &members)
                }
            }
            var result = elementType == .child ? JSONValue.object(members) : JSONValue.array(items)
            if let enclosing {
                var object = JSONObject()
                object[Self.localName(of: enclosing)] = result
                result = .object(object)
            }
            merged.replaceBody(with: result.description, contentType: "application/json")
        case .xpath(let text, let namespaces):
            var elements: [String] = []
            for var message in messages {
                guard let payload = try message.xmlPayload(for: "aggregate") else { continue }
                elements += try XPathEngine.selectedElements(text, namespaces: namespaces, payload: payload, context: message)
            }
            guard !elements.isEmpty else {
                throw MediationFault.mediatorFailed("aggregate", "Could not find matching elements to aggregate: \(text)")
            }
            var content = elements.joined()
            var single = elements.count == 1
            if let enclosing {
                content = try XPathEngine.enrich(
                    payload: enclosing,
                    target: "$body/*[1]",
                    namespaces: [:],
                    content: .markup(content),
                    placement: .child,
                    context: merged
                )
                single = true
            }
            // Several elements without an enclosing one stay in a SOAP body, as Synapse holds them.
            let version = merged.soapVersion ?? (single ? nil : .soap11)
            merged.body = .text(version.map { SplitSettings.envelope(content, version: $0) } ?? content)
            merged.headers.remove(name: "Content-Length")
        default:
            throw MediationFault.mediatorFailed("aggregate", "'\(expression.source)' is neither an XPath nor a json-eval path")
        }
        return merged
    }

    /// WSO2's merge of `aggregateElementType="child"` results (`MERGE_INTO_ARRAY`): new members are added, arrays
    /// concatenate, objects merge member by member, and other clashing values become an array of both.
    static func merge(_ object: JSONObject, into result: inout JSONObject) {
        for key in object.keys {
            guard let value = object[key] else { continue }
            switch (result[key], value) {
            case (nil, _):
                result[key] = value
            case (.array(let left)?, .array(let right)):
                result[key] = .array(left + right)
            case (.object(var left)?, .object(let right)):
                merge(right, into: &left)
                result[key] = .object(left)
            case (.array(let left)?, _):
                result[key] = .array(left + [value])
            case (let left?, _):
                result[key] = .array([left, value])
            }
        }
    }

    private static func localName(of element: String) -> String {
        let name = element.dropFirst().prefix { !" />\t\n\r".contains($0) }
        return String(name.split(separator: ":").last ?? name)
    }
}

/// `min`/`max` of `<messageCount>` ready to evaluate.
enum CompiledMessageCountLimit: Sendable {
    case count(Int)
    case expression(CompiledExpression)

    /// The limit for a group, from the message that starts it; Synapse parses the value as a decimal number and
    /// truncates it.
    func value(_ context: inout MessageContext, name: String) throws(MediationFault) -> Int {
        switch self {
        case .count(let count):
            return count
        case .expression(let expression):
            let text = try expression.evaluate(&context).stringValue?.trimmingWhitespace() ?? ""
            guard let number = Double(text), number.isFinite, abs(number) < 1e9 else {
                throw MediationFault.mediatorFailed(
                    "aggregate",
                    "messageCount \(name) \(expression.source) gave '\(text)', not a number"
                )
            }
            return Int(number)
        }
    }
}

/// A message an `aggregate` collects: which aggregate and which split group (see `MessageAggregation`).
public struct AggregateContribution: Sendable {
    let aggregator: CompiledAggregateMediator
    let correlation: String
}
