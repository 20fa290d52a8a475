import NIOCore
import SluiceModel

/// `<foreach collection=...>` (WSO2 MI 4.4) ready to run: each element of the collection becomes a copy of the
/// message whose payload is that element, running the sequence in its own flow on the exchange's event loop
/// (`clone`'s machinery), followed by a gathering step; the copy that completes the gathering goes on after the
/// `foreach` with the original message, its collection replaced by the results in order (or the results in a
/// variable). With `continue-without-aggregation` the copies only run and the original goes on at once.
struct CompiledForEachCollectionMediator: CompiledMediator {
    static let splitID = "foreach"

    let collection: CompiledExpression
    let targets: CompiledSplitTarget
    let split: SplitSettings
    let settings: ForEachCollection

    init(
        _ node: ForEachMediator,
        settings: ForEachCollection,
        compilation: inout MediatorCompilation
    ) throws(MediationCompileError) {
        collection = try compilation.expression(node.expression)
        self.settings = settings
        guard case .inline(let nodes) = node.sequence else {
            throw MediationCompileError(.unsupported("foreach collection with a sequence key"), location: compilation.location)
        }
        var mediators = try compilation.compile(nodes)
        if settings.result != .continueWithoutAggregation {
            let merge = try ForEachCollectionMerge(collection: node.expression, result: settings.result, location: compilation.location)
            mediators.append(
                CompiledAggregateMediator(
                    identity: AggregatorIdentity(),
                    id: Self.splitID,
                    correlateOn: nil,
                    timeoutSeconds: 0,
                    minimumMessages: nil,
                    maximumMessages: nil,
                    elementType: .root,
                    expression: collection,
                    onComplete: .inline(
                        CompiledSequence(name: nil, mediators: [], onError: nil, location: compilation.location, readsBody: false)
                    ),
                    enclosingElementProperty: nil,
                    gather: merge
                )
            )
        }
        targets = CompiledSplitTarget(
            destination: .sequence(
                .inline(CompiledSequence(name: nil, mediators: mediators, onError: nil, location: compilation.location, readsBody: true))
            ),
            soapAction: nil,
            to: nil,
            continuesAfterSplit: settings.result != .continueWithoutAggregation
        )
        split = SplitSettings(
            id: Self.splitID,
            sequential: !settings.parallelExecution,
            continueParent: settings.result == .continueWithoutAggregation
        )
    }

    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        let items = try Self.elements(of: try collection.synapseValue(&context), source: collection.source)
        // No elements: nothing to run, the message goes on as it is (Synapse logs it).
        guard !items.isEmpty else { return .proceed }
        let correlation = SplitSettings.newCorrelation()
        let origin = settings.result == .continueWithoutAggregation ? nil : ScatterOrigin(context)
        var messages: [(MessageContext, CompiledSplitTarget)] = []
        messages.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            var message = context
            switch item {
            case .json(let value): message.replaceBody(with: value.description, contentType: "application/json")
            case .xml(let markup): message.replaceBody(with: markup, contentType: "application/xml")
            }
            split.mark(&message, index: index, count: items.count, correlation: correlation)
            if let origin { message.scatterOrigin = origin }
            if let counter = settings.counterVariable { message.variables[counter] = .int(Int64(index)) }
            messages.append((message, targets))
        }
        return .split(SplitPlan(messages: messages, settings: split))
    }

    enum Element {
        case json(JSONValue)
        case xml(String)
    }

    /// The elements a collection expression gave: a JSON array's members, or the elements an XPath selected.
    static func elements(of value: SynapseValue, source: String) throws(MediationFault) -> [Element] {
        switch value {
        case .json(.array(let members)):
            return members.map(Element.json)
        case .xml(.nodes(let nodes)):
            return nodes.filter { $0.kind == .element }.map { Element.xml($0.markup) }
        case .string:
            if let members = value.arrayValue { return members.map(Element.json) }
        default:
            break
        }
        throw MediationFault.mediatorFailed("foreach", "Expression \(source) did not resolve to a valid array")
    }
}

/// How a collection `foreach` completes: the iterations' payloads, in the collection's order, replace the
/// collection in the original message (`update-original`) or go into a variable.
struct ForEachCollectionMerge: GatherMerge {
    /// Where the collection is, for `update-original`: a path over the JSON payload or a variable.
    enum Location: Sendable {
        case payload([JSONPathKey])
        case variable(String, [JSONPathKey])
    }

    let result: ForEachCollection.Result
    let location: Location?

    init(collection: SynapseExpression, result: ForEachCollection.Result, location: SourceLocation?) throws(MediationCompileError) {
        self.result = result
        guard result == .updateOriginal else {
            self.location = nil
            return
        }
        // The original can be updated where a plain path names the collection, as Synapse sets it with JsonPath.
        if case .synapse(let text) = collection.kind, let root = try? SynapseExpressionParser.parse(text) {
            switch root {
            case .payload(let steps):
                if let keys = JSONPathKey.keys(steps) {
                    self.location = .payload(keys)
                    return
                }
            case .variable(let name, let steps):
                if let keys = JSONPathKey.keys(steps) {
                    self.location = .variable(name, keys)
                    return
                }
            default:
                break
            }
        }
        throw MediationCompileError(
            .unsupported(
                "foreach update-original with the collection '\(collection.source)': Sluice updates a collection named by "
                    + "a plain ${payload...} or ${vars...} path; use update-original=\"false\" with a target-variable"
            ),
            location: location
        )
    }

    var timeout: TimeAmount? { nil }

    func accepts(_ context: inout MessageContext) throws(MediationFault) -> Bool { true }

    func merge(_ messages: [MessageContext]) throws(MediationFault) -> MessageContext {
        guard let last = messages.last else { throw MediationFault.mediatorFailed("foreach", "no iteration to gather") }
        var original = try ScatterOrigin.context(of: last, owner: "foreach")
        // Each copy knows its place ("index/count"); results go back in the collection's order.
        var ordered: [(Int, MessageContext)] = []
        for message in messages {
            let sequence = message[property: SplitSettings.sequenceProperty + "." + CompiledForEachCollectionMediator.splitID]
            let index = sequence.flatMap { Int($0.stringValue.prefix { $0 != "/" }) } ?? ordered.count
            ordered.append((index, message))
        }
        ordered.sort { $0.0 < $1.0 }
        switch result {
        case .continueWithoutAggregation:
            return original
        case .variable(let name, .json):
            var results: [JSONValue] = []
            for (_, var message) in ordered { results.append(try Self.payload(of: &message)) }
            original.variables[name] = .json(.array(results))
        case .variable(let name, .xml(let root)):
            var content = ""
            for (_, var message) in ordered {
                guard let xml = try message.xmlPayload(for: "foreach") else { continue }
                content += xml.trimmingWhitespace()
            }
            original.variables[name] = .element("<" + root + ">" + content + "</" + root + ">")
        case .updateOriginal:
            var results: [JSONValue] = []
            for (_, var message) in ordered { results.append(try Self.payload(of: &message)) }
            try update(&original, with: .array(results))
        }
        return original
    }

    private func update(_ original: inout MessageContext, with results: JSONValue) throws(MediationFault) {
        switch location {
        case .payload(let keys)?:
            guard let json = try original.jsonBody(for: "foreach") else {
                throw MediationFault.mediatorFailed("foreach", "the original payload is not JSON")
            }
            guard let updated = JSONPathKey.set(results, at: keys[...], in: json) else {
                throw MediationFault.mediatorFailed("foreach", "the collection is no longer in the original payload")
            }
            original.replaceBody(with: updated.description, contentType: "application/json")
        case .variable(let name, let keys)?:
            guard let variable = original.variables[name] else {
                throw MediationFault.mediatorFailed("foreach", "variable \(name) is not defined")
            }
            guard let json = try? SynapseExpressionEvaluator.json(of: variable),
                let updated = JSONPathKey.set(results, at: keys[...], in: json)
            else {
                throw MediationFault.mediatorFailed("foreach", "the collection is no longer in variable \(name)")
            }
            original.variables[name] = SynapseValue(json: updated)
        case nil:
            break
        }
    }

    /// An iteration's payload as JSON: its JSON body, or its XML payload as text.
    private static func payload(of message: inout MessageContext) throws(MediationFault) -> JSONValue {
        if let json = try message.jsonBody(for: "foreach") { return json }
        return (try message.xmlPayload(for: "foreach")).map { .string($0) } ?? .null
    }
}

/// One step of a plain JSON path (`.name`, `[0]`), which a value can be set at.
enum JSONPathKey: Sendable, Hashable {
    case member(String)
    case index(Int)

    /// The keys of a path made only of names and literal indices; nil for anything else.
    static func keys(_ steps: [SynapseJSONPathStep]) -> [JSONPathKey]? {
        var keys: [JSONPathKey] = []
        for step in steps {
            switch step {
            case .member(let name): keys.append(.member(name))
            case .index(.literal(.int(let index))): keys.append(.index(Int(index)))
            case .index(.literal(.string(let name))): keys.append(.member(name))
            default: return nil
            }
        }
        return keys
    }

    /// `root` with the value at `keys` replaced by `value`; nil when the path does not exist.
    static func set(_ value: JSONValue, at keys: ArraySlice<JSONPathKey>, in root: JSONValue) -> JSONValue? {
        guard let first = keys.first else { return value }
        switch (first, root) {
        case (.member(let name), .object(var object)):
            guard let child = object[name], let updated = set(value, at: keys.dropFirst(), in: child) else { return nil }
            object[name] = updated
            return .object(object)
        case (.index(let index), .array(var elements)):
            let position = index < 0 ? elements.count + index : index
            guard elements.indices.contains(position), let updated = set(value, at: keys.dropFirst(), in: elements[position])
            else { return nil }
            elements[position] = updated
            return .array(elements)
        default:
            return nil
        }
    }
}
