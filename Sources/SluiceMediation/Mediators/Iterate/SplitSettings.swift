import NIOCore
import SluiceModel

/// What `clone` and `iterate` share: the id their `aggregate` names, whether the parts run one after another, and
/// whether the original message goes on after the split.
struct SplitSettings: Sendable {
    let id: String?
    let sequential: Bool
    let continueParent: Bool

    /// Synapse's `aggregateCorelation` (the original message's identity) and `messageSequence` ("index/count")
    /// properties, suffixed with `.id` when the splitter has an id; `aggregateCorelation` without suffix is always
    /// set, as Synapse's message copy does.
    static let correlationProperty = "aggregateCorelation"
    static let sequenceProperty = "messageSequence"

    /// Marks a split message so an `aggregate` can collect it.
    func mark(_ context: inout MessageContext, index: Int, count: Int, correlation: String) {
        context[property: Self.correlationProperty] = .string(correlation)
        let suffix = id.map { "." + $0 } ?? ""
        if !suffix.isEmpty { context[property: Self.correlationProperty + suffix] = .string(correlation) }
        context[property: Self.sequenceProperty + suffix] = .string("\(index)/\(count)")
    }

    /// A fresh identity for the message being split (Synapse uses the message ID).
    static func newCorrelation() -> String {
        "urn:uuid:" + String(UInt64.random(in: .min ... .max), radix: 16) + String(UInt64.random(in: .min ... .max), radix: 16)
    }

    /// `element` as the payload of an envelope of `version`.
    static func envelope(_ element: String, version: SOAPVersion) -> String {
        #"<soapenv:Envelope xmlns:soapenv="\#(version.envelopeNamespace)"><soapenv:Body>"#
            + element + "</soapenv:Body></soapenv:Envelope>"
    }
}

/// What a splitting mediator hands the execution: the messages and the target each runs.
struct SplitPlan: Sendable {
    var messages: [(MessageContext, CompiledSplitTarget)]
    let settings: SplitSettings
    /// Set by a recipient list: recipients that are not ready get no copy, and this fault is raised when none is.
    var unavailableFault: MediationFault? = nil
}

/// The messages `clone` or `iterate` made, each ready to run in its own flow (see `SequenceExecution`).
public struct MessageSplit: Sendable {
    /// One per split message, in order.
    public var branches: [MessageBranch]
    /// Run the branches one after another (each to its end) rather than together.
    public let sequential: Bool
    /// The original message goes on (`run` again); otherwise its run has ended.
    public let continueParent: Bool
    /// A recipient list's fault for when none of its recipients is ready; nil for other splits.
    public var unavailableFault: MediationFault?

    /// Drops the branches of a recipient list whose recipient is not ready (Synapse sends them no copy).
    /// - Returns: The fault to raise instead of running the split when there were recipients and none is ready.
    public mutating func skipUnreadyRecipients(now: NIODeadline) -> MediationFault? {
        guard let unavailableFault, !branches.isEmpty else { return nil }
        branches.removeAll { branch in branch.recipient.map { !$0.isReady(now: now) } ?? false }
        return branches.isEmpty ? unavailableFault : nil
    }
}

/// A message in its own flow: its context and where its mediation stands. Run it with `execution.run(&context)`
/// and treat each step as for any flow.
public struct MessageBranch: Sendable {
    public var context: MessageContext
    public var execution: SequenceExecution
    /// The recipient list member this message goes to (only for a recipient list's copies).
    public var recipient: ResolvedEndpoint?

    public init(context: MessageContext, execution: SequenceExecution, recipient: ResolvedEndpoint? = nil) {
        self.context = context
        self.execution = execution
        self.recipient = recipient
    }
}
