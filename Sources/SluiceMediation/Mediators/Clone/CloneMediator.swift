public import SluiceModel
internal import SluiceXML

/// `<clone [id=] [sequential=] [continueParent=]><target/>+</clone>`: one copy of the message per target, each
/// running its target in its own flow; in parallel unless `sequential`; the original stops unless `continueParent`.
public struct CloneMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "clone"

    public var targets: [SplitTarget]
    public var id: String?
    public var sequential: Bool
    public var continueParent: Bool

    public init(targets: [SplitTarget], id: String? = nil, sequential: Bool = false, continueParent: Bool = false) {
        self.targets = targets
        self.id = id
        self.sequential = sequential
        self.continueParent = continueParent
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> CloneMediator? {
        reader.ignoreText(in: element)
        var targets: [SplitTarget] = []
        var ok = true
        for child in element.childElements {
            // Synapse's CloneMediatorFactory reads the <target> children only.
            guard reader.isSynapse(child, named: "target") else {
                reader.ignoreUnknown(child, in: element)
                continue
            }
            if let target = SplitTarget.read(child, reader: reader) { targets.append(target) } else { ok = false }
        }
        if targets.isEmpty && ok {
            reader.report("<clone> needs at least one <target>", at: element)
            ok = false
        }
        guard ok else { return nil }
        return CloneMediator(
            targets: targets,
            id: element.attribute("id"),
            sequential: reader.flag("sequential", of: element, default: false),
            continueParent: reader.flag("continueParent", of: element, default: false)
        )
    }

    func write(to writer: XMLWriter) {
        writer.element(
            "clone",
            ["id": id, "sequential": sequential ? "true" : nil, "continueParent": continueParent ? "true" : nil]
        ) {
            for target in targets { target.write(to: writer) }
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        var compiled: [CompiledSplitTarget] = []
        for target in targets { compiled.append(try target.compile(&compilation)) }
        return CompiledCloneMediator(
            targets: compiled,
            split: SplitSettings(id: id, sequential: sequential, continueParent: continueParent)
        )
    }
}

/// `<clone>` ready to run. The body is read first: every copy carries it whole.
struct CompiledCloneMediator: CompiledMediator {
    let targets: [CompiledSplitTarget]
    let split: SplitSettings

    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        let correlation = SplitSettings.newCorrelation()
        var messages: [(MessageContext, CompiledSplitTarget)] = []
        messages.reserveCapacity(targets.count)
        for (index, target) in targets.enumerated() {
            var message = context
            split.mark(&message, index: index, count: targets.count, correlation: correlation)
            target.prepare(&message)
            messages.append((message, target))
        }
        return .split(SplitPlan(messages: messages, settings: split))
    }
}

extension MediatorNode {
    /// A `<clone>` node.
    public static func clone(_ mediator: CloneMediator) -> MediatorNode { MediatorNode(mediator) }
}
