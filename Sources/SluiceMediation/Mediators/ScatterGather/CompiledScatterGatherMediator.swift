import NIOCore
import SluiceModel

/// `<scatter-gather>` ready to run: a clone of the message per sequence, each sequence followed by a gathering
/// `aggregate` step. The copies run as split messages on the exchange's event loop (`clone`'s machinery, so
/// nothing blocks); each one's execution is the original's, standing after this mediator, with its sequence entered,
/// so the message that completes the gathering goes on after the `scatter-gather` with the gathered result.
struct CompiledScatterGatherMediator: CompiledMediator {
    /// The id the copies are marked with, so the gathering step finds its group.
    static let splitID = "scatter-gather"

    let targets: [CompiledSplitTarget]
    let split: SplitSettings
    let keepsOrigin: Bool

    init(_ node: ScatterGatherMediator, compilation: inout MediatorCompilation) throws(MediationCompileError) {
        let aggregation = node.aggregation
        let gather = ScatterGatherAggregation(
            expression: try compilation.expression(aggregation.expression),
            condition: try aggregation.condition.map { value throws(MediationCompileError) in
                try compilation.expression(value)
            },
            timeoutMilliseconds: max(aggregation.timeoutMilliseconds, 0),
            contentType: node.contentType,
            target: node.target
        )
        let gatherStep = CompiledAggregateMediator(
            identity: AggregatorIdentity(),
            id: Self.splitID,
            correlateOn: nil,
            timeoutSeconds: 0,
            minimumMessages: try aggregation.minimumMessages.map { limit throws(MediationCompileError) in
                try limit.compile(compilation)
            },
            maximumMessages: try aggregation.maximumMessages.map { limit throws(MediationCompileError) in
                try limit.compile(compilation)
            },
            elementType: .root,
            expression: gather.expression,
            onComplete: .inline(
                CompiledSequence(name: nil, mediators: [], onError: nil, location: compilation.location, readsBody: false)
            ),
            enclosingElementProperty: nil,
            gather: gather
        )
        var targets: [CompiledSplitTarget] = []
        for sequence in node.sequences {
            let mediators = try compilation.compile(sequence) + [gatherStep]
            let branch = CompiledBranch.inline(
                CompiledSequence(name: nil, mediators: mediators, onError: nil, location: compilation.location, readsBody: true)
            )
            targets.append(
                CompiledSplitTarget(destination: .sequence(branch), soapAction: nil, to: nil, continuesAfterSplit: true)
            )
        }
        self.targets = targets
        split = SplitSettings(id: Self.splitID, sequential: !node.parallelExecution, continueParent: false)
        if case .variable = node.target { keepsOrigin = true } else { keepsOrigin = false }
    }

    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        let correlation = SplitSettings.newCorrelation()
        // With target="variable" the original message goes on after the gathering, as Synapse keeps a clone of it.
        let origin = keepsOrigin ? ScatterOrigin(context) : nil
        var messages: [(MessageContext, CompiledSplitTarget)] = []
        messages.reserveCapacity(targets.count)
        for (index, target) in targets.enumerated() {
            var message = context
            split.mark(&message, index: index, count: targets.count, correlation: correlation)
            if let origin { message.scatterOrigin = origin }
            messages.append((message, target))
        }
        return .split(SplitPlan(messages: messages, settings: split))
    }
}

/// The message a `scatter-gather` with `target="variable"` goes on with once its results are gathered. A class so
/// the copies share one and the context stays small; immutable.
final class ScatterOrigin: Sendable {
    let context: MessageContext

    init(_ context: MessageContext) {
        self.context = context
    }

    /// The original message a copy carries.
    static func context(of message: MessageContext, owner: String) throws(MediationFault) -> MessageContext {
        guard let origin = message.scatterOrigin else {
            throw MediationFault.mediatorFailed(owner, "the original message was lost")
        }
        return origin.context
    }
}

/// How a gathering `aggregate` step (the one `scatter-gather` and a collection `foreach` end their sequences
/// with) takes part in and completes its group.
protocol GatherMerge: Sendable {
    /// How long a group waits for the rest; nil: until all arrived.
    var timeout: TimeAmount? { get }
    /// Whether this message takes part (its flow ends otherwise).
    func accepts(_ context: inout MessageContext) throws(MediationFault) -> Bool
    /// The message that goes on after the splitting mediator.
    func merge(_ messages: [MessageContext]) throws(MediationFault) -> MessageContext
}

/// How a `scatter-gather` gathers its results (Synapse's `ScatterGather` aggregation), used by the gathering
/// `aggregate` step its sequences end with.
struct ScatterGatherAggregation: GatherMerge {
    let expression: CompiledExpression
    let condition: CompiledExpression?
    let timeoutMilliseconds: Int
    let contentType: ScatterGatherMediator.ResultContentType
    let target: ScatterGatherMediator.ResultTarget

    var timeout: TimeAmount? { timeoutMilliseconds > 0 ? .milliseconds(Int64(timeoutMilliseconds)) : nil }

    /// Whether a result takes part: `condition` gives `true` (any case), or there is none.
    func accepts(_ context: inout MessageContext) throws(MediationFault) -> Bool {
        guard let condition else { return true }
        return try condition.string(&context)?.lowercased() == "true"
    }

    /// The message that goes on: the last result with the gathered payload (`target="body"`), or the original
    /// message with the gathered variable.
    func merge(_ messages: [MessageContext]) throws(MediationFault) -> MessageContext {
        guard let last = messages.last else {
            throw MediationFault.mediatorFailed("scatter-gather", "no result to gather")
        }
        switch contentType {
        case .json:
            var items: [JSONValue] = []
            for var message in messages {
                let value = try expression.synapseValue(&message)
                if case .element(let markup) = value { items.append(.string(markup)) } else { items.append(value.jsonValue) }
            }
            let gathered = JSONValue.array(items)
            switch target {
            case .body:
                var merged = last
                merged.replaceBody(with: gathered.description, contentType: "application/json")
                return merged
            case .variable(let name):
                var merged = try origin(of: last)
                merged.variables[name] = .json(gathered)
                return merged
            }
        case .xml(let rootElement):
            var content = ""
            for var message in messages {
                let text = try expression.string(&message)?.trimmingWhitespace() ?? ""
                guard text.hasPrefix("<"), XPathEngine.isWellFormed(text) else {
                    throw MediationFault.mediatorFailed(
                        "scatter-gather",
                        "the aggregation expression \(expression.source) did not give an XML element"
                    )
                }
                content += text
            }
            let root = "<" + rootElement + ">" + content + "</" + rootElement + ">"
            switch target {
            case .body:
                var merged = last
                merged.replaceBody(with: root, contentType: "application/xml")
                return merged
            case .variable(let name):
                var merged = try origin(of: last)
                merged.variables[name] = .element(root)
                return merged
            }
        }
    }

    private func origin(of message: MessageContext) throws(MediationFault) -> MessageContext {
        try ScatterOrigin.context(of: message, owner: "scatter-gather")
    }
}
