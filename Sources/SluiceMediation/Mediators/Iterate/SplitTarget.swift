public import SluiceModel
internal import SluiceXML

/// `<target [sequence=] [endpoint=] [soapAction=] [to=]>[<sequence>...][<endpoint>...]</target>` of a `clone` or
/// `iterate`: where each split message goes.
public struct SplitTarget: Sendable, Hashable {
    public enum Destination: Sendable, Hashable {
        case sequence(SequenceSlot)
        case endpoint(EndpointDefinition)
        /// `endpoint="key"`.
        case endpointKey(String)
    }

    public var destination: Destination
    /// Sets the message's SOAP action before it goes on.
    public var soapAction: String?
    /// Sets the WS-Addressing `To` before it goes on.
    public var to: String?

    public init(destination: Destination, soapAction: String? = nil, to: String? = nil) {
        self.destination = destination
        self.soapAction = soapAction
        self.to = to
    }

    static func read(_ element: XMLElementNode, reader: ArtifactReader) -> SplitTarget? {
        reader.ignoreText(in: element)
        var inlineSequence: [MediatorNode]?
        var inlineEndpoint: EndpointDefinition?
        var ok = true
        for child in element.childElements {
            if reader.isSynapse(child, named: "sequence"), inlineSequence == nil {
                inlineSequence = reader.readMediators(in: child)
            } else if reader.isSynapse(child, named: "endpoint"), inlineEndpoint == nil {
                if let endpoint = reader.readEndpoint(child) { inlineEndpoint = endpoint } else { ok = false }
            } else {
                // Synapse's TargetFactory reads its <sequence> and <endpoint> by name.
                reader.ignoreUnknown(child, in: element)
            }
        }
        var destinations: [Destination] = []
        if let key = element.attribute("sequence") { destinations.append(.sequence(.key(key))) }
        if let inlineSequence { destinations.append(.sequence(.inline(inlineSequence))) }
        if let key = element.attribute("endpoint") { destinations.append(.endpointKey(key)) }
        if let inlineEndpoint { destinations.append(.endpoint(inlineEndpoint)) }
        // Synapse's `Target` uses the first of: inline sequence, sequence key, inline endpoint, endpoint key; the
        // others are read (and must be valid) but ignored.
        let precedence = destinations.min { Self.rank($0) < Self.rank($1) }
        guard let destination = precedence else {
            reader.report("<target> needs a sequence or an endpoint (attribute or inline)", at: element)
            return nil
        }
        guard ok else { return nil }
        return SplitTarget(
            destination: destination,
            soapAction: element.attribute("soapAction"),
            to: element.attribute("to")
        )
    }

    /// Synapse's order among a target's destinations (lowest wins).
    private static func rank(_ destination: Destination) -> Int {
        switch destination {
        case .sequence(.inline): 0
        case .sequence(.key): 1
        case .endpoint: 2
        case .endpointKey: 3
        }
    }

    func write(to writer: XMLWriter) {
        var sequenceKey: String?
        var endpointKey: String?
        switch destination {
        case .sequence(.key(let key)): sequenceKey = key
        case .endpointKey(let key): endpointKey = key
        case .sequence(.inline), .endpoint: break
        }
        writer.element(
            "target",
            ["sequence": sequenceKey, "endpoint": endpointKey, "soapAction": soapAction, "to": to]
        ) {
            switch destination {
            case .sequence(.inline(let mediators)): writer.element("sequence") { writer.mediators(mediators) }
            case .endpoint(let endpoint): writer.endpoint(endpoint)
            case .sequence(.key), .endpointKey: break
            }
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> CompiledSplitTarget {
        let destination: CompiledSplitTarget.Destination
        switch self.destination {
        case .sequence(let slot):
            destination = .sequence(try compilation.compileBranch(slot))
        case .endpoint(let definition):
            destination = .endpoint(try compilation.resolve(definition), receive: nil)
        case .endpointKey(let key):
            destination = .endpoint(try compilation.resolve(EndpointDefinition(kind: .reference(key: key))), receive: nil)
        }
        return CompiledSplitTarget(destination: destination, soapAction: soapAction, to: to)
    }
}

/// A `<target>` ready to run.
struct CompiledSplitTarget: Sendable {
    enum Destination: Sendable {
        case sequence(CompiledBranch)
        /// Sent to the endpoint; the reply runs the `receive` sequence, or the out sequence.
        case endpoint(ResolvedEndpoint, receive: String?)
        /// Called (a recipient list in a `call`): the reply goes on after the `call`.
        case call(ResolvedEndpoint)
    }

    /// The endpoint the message goes to, if it goes to one.
    var endpoint: ResolvedEndpoint? {
        switch destination {
        case .sequence: nil
        case .endpoint(let endpoint, _), .call(let endpoint): endpoint
        }
    }

    let destination: Destination
    let soapAction: String?
    let to: String?
    /// True for a `scatter-gather` sequence: the message's flow goes on after the splitting mediator when the
    /// sequence ends (it gathers there), where a `clone` or `iterate` target's flow ends.
    var continuesAfterSplit = false

    var readsBody: Bool {
        if case .sequence(let branch) = destination { return branch.readsBody }
        return false
    }

    /// Sets the target's SOAP action and `To` on a split message.
    func prepare(_ context: inout MessageContext) {
        if let soapAction {
            context.addressing.action = soapAction
            if context.soapVersion == .soap11 {
                context.headers.replaceOrAdd(name: "SOAPAction", value: "\"" + soapAction + "\"")
            }
        }
        if let to { context.addressing.to = to }
    }
}
