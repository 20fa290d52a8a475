import NIOCore
import SluiceModel
import Synchronization

/// A `<recipientlist>` ready to use: the message is copied to every recipient, each copy in its own flow (the
/// scatter-gather machinery of `clone`), as Synapse's `RecipientListEndpoint` does.
///
/// Each copy carries Synapse's `aggregateCorelation` and `messageSequence` (`i/n`, n counting every recipient)
/// properties, so an `aggregate` in the out sequence can merge the replies. A recipient that is not ready
/// (suspended) gets no copy; when none is ready the original message faults with 303000. A recipient that fails
/// runs the fault sequence with its own copy.
public struct RecipientList: Sendable {
    enum Recipients: Sendable {
        case endpoints([ResolvedEndpoint])
        /// A comma-separated address list (a literal or an expression per message), each address an `address`
        /// endpoint kept in `pool` so its suspension state lasts across messages.
        case addresses(CompiledValue, pool: RecipientAddressPool)
    }

    let recipients: Recipients

    /// Static recipients.
    public init(members: [ResolvedEndpoint]) {
        recipients = .endpoints(members)
    }

    init(addresses: CompiledValue, maxCache: Int) {
        recipients = .addresses(addresses, pool: RecipientAddressPool(capacity: maxCache))
    }

    /// The static recipients (none for an address list).
    public var members: [ResolvedEndpoint] {
        if case .endpoints(let members) = recipients { return members }
        return []
    }

    /// True when the recipients depend on the message (the copies must carry the body whole either way).
    var readsBody: Bool {
        if case .addresses(let value, _) = recipients { return value.readsBody }
        return false
    }

    /// How each copy goes to its recipient.
    enum Delivery: Sendable {
        /// `send`: the reply runs the `receive` sequence, or the out sequence.
        case send(receive: String?)
        /// `call`: the reply continues the sequence after the `call` (Synapse's continuation, copied per message).
        case call
    }

    /// One copy of `context` per recipient, for the sequence execution to run in split flows.
    func plan(for context: inout MessageContext, name: String?, delivery: Delivery) throws(MediationFault) -> SplitPlan {
        let endpoints: [ResolvedEndpoint]
        switch recipients {
        case .endpoints(let members):
            endpoints = members
        case .addresses(let value, let pool):
            let list = try value.string(&context) ?? ""
            endpoints = list.split(separator: ",").compactMap { raw in
                let address = raw.trimmingSpaces()
                guard !address.isEmpty else { return nil }
                return ResolvedEndpoint(name: nil, kind: .leaf(pool.leaf(for: String(address))))
            }
        }
        let settings = SplitSettings(id: nil, sequential: false, continueParent: false)
        let correlation = SplitSettings.newCorrelation()
        var messages: [(MessageContext, CompiledSplitTarget)] = []
        messages.reserveCapacity(endpoints.count)
        for (index, endpoint) in endpoints.enumerated() {
            var message = context
            settings.mark(&message, index: index, count: endpoints.count, correlation: correlation)
            let destination: CompiledSplitTarget.Destination
            switch delivery {
            case .send(let receive): destination = .endpoint(endpoint, receive: receive)
            case .call: destination = .call(endpoint)
            }
            messages.append((message, CompiledSplitTarget(destination: destination, soapAction: nil, to: nil)))
        }
        let displayName = name ?? "AnonymousEndpoint"
        return SplitPlan(
            messages: messages,
            settings: settings,
            unavailableFault: MediationFault(
                code: SynapseErrorCode.groupNoneReady,
                message: "Recipient List endpoint : \(displayName) - no ready child endpoints"
            )
        )
    }
}

/// The address endpoints a dynamic recipient list made, by address, least recently used evicted: Synapse's
/// `DynamicEndpointPool`. Shared by every event loop; one lock per list, held only for a lookup.
final class RecipientAddressPool: Sendable {
    private let leaves: Mutex<LRUDictionary<String, EndpointLeaf>>

    init(capacity: Int) {
        leaves = Mutex(LRUDictionary(capacity: max(capacity, 1)))
    }

    /// The endpoint for `address`, made (with fresh suspension state) the first time it is seen.
    func leaf(for address: String) -> EndpointLeaf {
        leaves.withLock { pool in
            if let leaf = pool.value(forKey: address) { return leaf }
            let leaf = EndpointLeaf(name: nil, target: .address(uri: address))
            pool.updateValue(leaf, forKey: address)
            return leaf
        }
    }

    /// How many addresses the pool holds.
    var count: Int { leaves.withLock { $0.count } }
}

/// `send` or `call` to a recipient list: splits the message, one copy per recipient. The original message's flow
/// ends there.
struct CompiledRecipientListMediator: CompiledMediator {
    let list: RecipientList
    let name: String?
    let delivery: RecipientList.Delivery

    /// Every copy carries the body whole.
    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        .split(try list.plan(for: &context, name: name, delivery: delivery))
    }
}

extension ResolvedEndpoint {
    /// True when a recipient list splits messages sent here.
    var isRecipientList: Bool {
        if case .recipientList = kind { return true }
        return false
    }

    /// True when a message may be sent here now: a leaf that is not suspended, a group with such a member.
    public func isReady(now: NIODeadline) -> Bool {
        switch kind {
        case .leaf(let leaf): leaf.state.isReady(now: now)
        case .loadbalance(let members, _, _), .failover(let members): members.contains { $0.isReady(now: now) }
        case .recipientList(let list): list.members.isEmpty || list.members.contains { $0.isReady(now: now) }
        case .unresolved: false
        }
    }

    /// The mediator that sends a message here (`send`): a recipient list splits it, anything else forwards it.
    func sendMediator(receive: String?) -> any CompiledMediator {
        if case .recipientList(let list) = kind {
            return CompiledRecipientListMediator(list: list, name: name, delivery: .send(receive: receive))
        }
        return CompiledSendMediator(endpoint: self, dynamicKey: nil, receive: receive)
    }

    /// The mediator that calls this endpoint (`call`): a recipient list splits the message, each copy going on after
    /// the call with its own reply.
    func callMediator() -> any CompiledMediator {
        if case .recipientList(let list) = kind {
            return CompiledRecipientListMediator(list: list, name: name, delivery: .call)
        }
        return CompiledCallMediator(endpoint: .fixed(self))
    }
}
