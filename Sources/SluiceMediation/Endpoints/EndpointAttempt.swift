import NIOCore

/// Chooses which leaf endpoint to try next for one message, following Synapse's group semantics.
///
/// ```swift
/// var attempt = endpoint.makeAttempt()
/// while let leaf = attempt.next(now: .now()) {
///     // send to leaf.url(for: context) ...
///     attempt.report(.failure(errorCode: SynapseErrorCode.connectionFailed), now: .now())
/// }
/// throw attempt.exhaustionFault
/// ```
///
/// - A leaf is tried once if it is ready (not suspended, or its suspension is over).
/// - A load-balance group starts at the next round-robin member; with `failover` (the default) a failure moves
///   on to the following member, each member at most once; without it only one member is tried.
/// - A failover group tries members from the first (the primary), skipping those not ready, so traffic goes
///   back to the primary as soon as it recovers.
/// - A member leaf's `<retryConfig>` can stop a group from trying further members after some errors.
///
/// Reporting an outcome also updates the leaf's shared suspension state. Report `.failure` for transport
/// errors (connect failure, timeout, closed connection: the `SynapseErrorCode`s), not for HTTP error statuses,
/// which Synapse passes back as responses. Trying another member needs the request body again, so a gateway
/// that streams the body can fail over only while no body byte has been sent.
public struct EndpointAttempt: Sendable {
    private let endpoint: ResolvedEndpoint
    /// Members in the order this attempt tries them (groups only).
    private var order: [ResolvedEndpoint]
    private var position = 0
    /// The attempt inside the member group currently being tried (0 or 1 element).
    private var nested: [EndpointAttempt] = []
    private var current: EndpointLeaf?
    private var started = false
    private var stopped = false
    private var lastFault: MediationFault?

    /// The outcome of sending to the leaf `next` returned.
    public enum Outcome: Sendable, Hashable {
        case success
        /// A failure with its Synapse error code (`SynapseErrorCode`).
        case failure(errorCode: Int)
    }

    init(endpoint: ResolvedEndpoint) {
        self.endpoint = endpoint
        switch endpoint.kind {
        case .leaf, .recipientList, .unresolved:
            // A recipient list is split by `send`/`call` before anything is attempted; the compiler refuses it
            // where one endpoint must be chosen (group members, callout), so an attempt on it finds no leaf.
            order = []
        case .loadbalance(let members, _, let cursor):
            let start = members.isEmpty ? 0 : cursor.next(count: members.count)
            order = Array(members[start...] + members[..<start])
        case .failover(let members):
            order = members
        }
    }

    /// The next leaf to send to, or nil when there is none (all tried, failover off, or none ready).
    public mutating func next(now: NIODeadline) -> EndpointLeaf? {
        guard !stopped else { return nil }
        switch endpoint.kind {
        case .leaf(let leaf):
            guard !started else { return nil }
            started = true
            guard leaf.state.isReady(now: now) else { return nil }
            current = leaf
            return leaf
        case .recipientList:
            return nil
        case .unresolved:
            // Its fault is raised by `exhaustionFault` when it is the endpoint sent to; a group goes on as past a
            // member that is not ready.
            return nil
        case .loadbalance, .failover:
            while position < order.count {
                if nested.isEmpty { nested = [order[position].makeAttempt()] }
                if let leaf = nested[0].next(now: now) {
                    current = leaf
                    return leaf
                }
                if let fault = nested[0].lastFault { lastFault = fault }
                nested = []
                position += 1
            }
            return nil
        }
    }

    /// Reports how sending to the last leaf from `next` went.
    public mutating func report(_ outcome: Outcome, now: NIODeadline) {
        guard current != nil else { return }
        current = nil
        switch endpoint.kind {
        case .leaf(let leaf):
            // Only the innermost attempt touches the shared state, so a nested leaf is counted once.
            switch outcome {
            case .success:
                leaf.state.recordSuccess()
            case .failure(let code):
                leaf.state.recordFailure(errorCode: code, now: now)
                lastFault = MediationFault(
                    code: code,
                    message: "Error connecting to the back end",
                    detail: "Endpoint : [ Name : \(leaf.displayName) ]"
                )
            }
            stopped = true
        case .loadbalance(_, let failover, _):
            reportToMember(outcome, now: now, continueOnFailure: failover)
        case .failover:
            reportToMember(outcome, now: now, continueOnFailure: true)
        case .recipientList, .unresolved:
            break
        }
    }

    private mutating func reportToMember(_ outcome: Outcome, now: NIODeadline, continueOnFailure: Bool) {
        guard !nested.isEmpty else { return }
        nested[0].report(outcome, now: now)
        if let fault = nested[0].lastFault { lastFault = fault }
        if outcome == .success || !continueOnFailure || !Self.allowsRetry(after: outcome, of: order[position]) {
            stopped = true
        } else if nested[0].stopped {
            nested = []
            position += 1
        }
    }

    /// Whether the group may try another member after `member` failed: WSO2's `isRetry` asks the failed child's
    /// own `<retryConfig>` (a group member has none, so it always may).
    private static func allowsRetry(after outcome: Outcome, of member: ResolvedEndpoint) -> Bool {
        guard case .failure(let code) = outcome, case .leaf(let leaf) = member.kind, let retry = leaf.retry else {
            return true
        }
        return retry.allowsRetry(after: code)
    }

    /// The fault to raise when `next` returned nil: the last failure's code when a leaf was tried and failed,
    /// 303001 when the only leaf is not ready, 303000 when no member of a group was ready.
    public var exhaustionFault: MediationFault {
        if let lastFault { return lastFault }
        switch endpoint.kind {
        case .leaf(let leaf):
            return leaf.unavailableFault()
        case .unresolved(let fault):
            return fault
        case .loadbalance, .failover, .recipientList:
            return .endpointUnavailable(endpointName: endpoint.displayName, state: "SUSPENDED", isGroup: true)
        }
    }
}
