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
    let minimumMessages: Int
    let maximumMessages: Int
    let expression: CompiledExpression
    let onComplete: CompiledBranch
    let enclosingElementProperty: String?

    var readsBody: Bool { true }
    var references: [MediationReference] { onComplete.references }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
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

    /// How many messages the split made, from the first message's `messageSequence` ("index/count").
    func expectedCount(_ context: MessageContext) -> Int? {
        let name = SplitSettings.sequenceProperty + (id.map { "." + $0 } ?? "")
        guard let text = context[property: name]?.stringValue, let slash = text.firstIndex(of: "/") else { return nil }
        return Int(text[text.index(after: slash)...])
    }

    /// Merges the collected messages into the first one: JSON values into an array (`{"name": [...]}` with an
    /// enclosing element), XML elements side by side in the body (inside the enclosing element when set).
    func merge(_ messages: [MessageContext]) throws(MediationFault) -> MessageContext {
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
            for var message in messages {
                guard let json = try message.jsonBody(for: "aggregate") else { continue }
                let selected = path.select(in: json)
                if selected.count == 1 { items.append(selected[0]) } else if selected.count > 1 { items.append(.array(selected)) }
            }
            var result = JSONValue.array(items)
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

    private static func localName(of element: String) -> String {
        let name = element.dropFirst().prefix { !" />\t\n\r".contains($0) }
        return String(name.split(separator: ":").last ?? name)
    }
}

/// A message an `aggregate` collects: which aggregate and which split group (see `MessageAggregation`).
public struct AggregateContribution: Sendable {
    let aggregator: CompiledAggregateMediator
    let correlation: String
}
