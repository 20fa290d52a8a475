public import SluiceModel
internal import SluiceXML

/// `<throttle id= [onAccept=] [onReject=]> (<policy key=/> | <policy><wsp:Policy>...</wsp:Policy></policy>)?
/// <onAccept>mediators</onAccept>? <onReject>mediators</onReject>? </throttle>`: Synapse's throttle mediator, counting
/// callers (by client IP) on the gateway's in-memory throttle counters and limiting the messages in its flow at once
/// (`MaximumConcurrentAccess`). Without a policy it admits everything, as Synapse's does (the `<throttle id="A"/>`
/// of an out sequence).
public struct ThrottleMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "throttle"

    public var id: String
    /// `<policy key=>`: a local entry holding the policy.
    public var policyKey: String?
    /// The inline policy, read and checked when the artifact is read.
    public var policy: ThrottlePolicy?
    /// The inline policy as written, for round trips.
    public var policyXML: String?
    public var onAccept: Branch?
    public var onReject: Branch?

    /// A sequence key (attribute) or inline mediators (element).
    public enum Branch: Sendable, Hashable {
        case sequence(String)
        case inline([MediatorNode])
    }

    public init(
        id: String,
        policyKey: String? = nil,
        policy: ThrottlePolicy? = nil,
        policyXML: String? = nil,
        onAccept: Branch? = nil,
        onReject: Branch? = nil
    ) {
        self.id = id
        self.policyKey = policyKey
        self.policy = policy
        self.policyXML = policyXML
        self.onAccept = onAccept
        self.onReject = onReject
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> ThrottleMediator? {
        reader.ignoreText(in: element)
        guard let id = reader.required("id", of: element) else { return nil }
        var mediator = ThrottleMediator(id: id)
        var ok = true
        mediator.onAccept = element.attribute("onAccept").map(Branch.sequence)
        mediator.onReject = element.attribute("onReject").map(Branch.sequence)
        var sawPolicy = false
        for child in element.childElements {
            guard reader.isSynapseChild(child, of: element) else {
                ok = false
                continue
            }
            switch child.localName {
            case "policy" where !sawPolicy:
                sawPolicy = true
                if let key = child.attribute("key") {
                    reader.rejectChildren(of: child)
                    mediator.policyKey = key
                } else if child.childElements.isEmpty {
                    // Synapse reads an empty <policy/> as no policy.
                    reader.ignoreText(in: child)
                } else if let root = child.childElements.first, child.childElements.count == 1 {
                    do {
                        mediator.policy = try ThrottlePolicy.parse(root)
                        mediator.policyXML = XMLFragmentWriter.string(for: root)
                    } catch {
                        reader.report("the throttle policy of <throttle id=\"\(id)\"> cannot be used: \(error.message)", at: root)
                        ok = false
                    }
                } else {
                    reader.report("<policy> of <throttle> needs a 'key' or one inline <wsp:Policy>", at: child)
                    ok = false
                }
            case "onAccept" where mediator.onAccept == nil:
                mediator.onAccept = .inline(reader.readMediators(in: child))
            case "onReject" where mediator.onReject == nil:
                mediator.onReject = .inline(reader.readMediators(in: child))
            case "policy", "onAccept", "onReject":
                reader.report("<throttle> has more than one \(child.localName) (element or attribute)", at: child)
                ok = false
            default:
                reader.reportUnknown(child, in: element)
                ok = false
            }
        }
        return ok ? mediator : nil
    }

    func write(to writer: XMLWriter) {
        writer.element(
            "throttle",
            ["id": id, "onAccept": Self.key(onAccept), "onReject": Self.key(onReject)]
        ) {
            if let policyKey {
                writer.element("policy", ["key": policyKey])
            } else if let policyXML {
                writer.element("policy") { writer.rawText(policyXML) }
            }
            if case .inline(let mediators)? = onAccept { writer.element("onAccept") { writer.mediators(mediators) } }
            if case .inline(let mediators)? = onReject { writer.element("onReject") { writer.mediators(mediators) } }
        }
    }

    private static func key(_ branch: Branch?) -> String? {
        if case .sequence(let key)? = branch { return key }
        return nil
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledThrottleMediator(self, compilation: &compilation)
    }
}

extension MediatorNode {
    /// A `<throttle>` node.
    public static func throttle(_ mediator: ThrottleMediator) -> MediatorNode { MediatorNode(mediator) }
}
