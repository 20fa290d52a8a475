import SluiceModel
import Synchronization

/// The request counters the `throttle` mediator counts with. The gateway's API Manager handlers hand it their
/// throttle counter store (SluiceThrottling), so mediator limits live in the same in-memory counters as tiers.
public protocol MediationThrottleCounters: Sendable {
    /// Counts one request of `caller` under the throttle `scope` against `limit` per `windowMillis`.
    /// - Returns: True when the request is admitted (a rejected one is not counted).
    func admit(scope: String, caller: String, limit: Int64, windowMillis: Int64, nowMillis: Int64) -> Bool
}

/// `<throttle>` ready to run: takes a concurrency place (`MaximumConcurrentAccess`) first, as Synapse gives
/// concurrency the highest priority, then finds the caller's rule (its IP address, else `other`), counts the request
/// and runs `onAccept` or `onReject`. Without `onReject` a rejected request ends the flow, as in Synapse. A response
/// passes (runs `onAccept`): Synapse throttles only requests.
struct CompiledThrottleMediator: CompiledMediator {
    let scope: String
    /// The IP rules, each with its id compiled once (`other` is the fallback; DOMAIN ids never match a request).
    let rules: [(caller: ThrottlePolicy.Caller, matcher: CallerMatcher)]
    let fallback: ThrottlePolicy.Caller?
    let counters: any MediationThrottleCounters
    let prohibited: ProhibitedCallers
    /// `MaximumConcurrentAccess`, per compiled mediator (a redeploy starts a new count, as Synapse's does).
    let concurrency: ConcurrencyLimiter?
    let onAccept: [any CompiledMediator]
    let onReject: [any CompiledMediator]?

    init(_ node: ThrottleMediator, compilation: inout MediatorCompilation) throws(MediationCompileError) {
        guard let counters = compilation.throttleCounters else {
            throw compilation.error(
                .unsupported("<throttle id=\"\(node.id)\"> needs the gateway's throttle counters, which this node has not set up")
            )
        }
        var policy = node.policy
        if let key = node.policyKey {
            // A key nothing deployed defines: deployed with a warning, faulting when a message reaches the mediator
            // (Synapse: "Cannot find throttling policy using key").
            let text = try compilation.resourceText(forKey: key, usedFor: "a throttle policy")
            do {
                policy = try ThrottlePolicy.parse(text: text)
            } catch {
                throw compilation.error(.invalidConfiguration(className: "throttle policy '\(key)'", reason: error.message))
            }
        }
        let callers = policy?.callers ?? []
        scope = "throttle-mediator:" + node.id
        rules = callers.filter { $0.id != "other" && $0.type == .ip }.map { ($0, CallerMatcher($0.id)) }
        fallback = callers.first { $0.id == "other" }
        self.counters = counters
        prohibited = ProhibitedCallers()
        concurrency = policy?.maximumConcurrentAccess.map(ConcurrencyLimiter.init(limit:))
        onAccept = try Self.branch(node.onAccept, &compilation) ?? []
        onReject = try Self.branch(node.onReject, &compilation)
    }

    private static func branch(
        _ branch: ThrottleMediator.Branch?,
        _ compilation: inout MediatorCompilation
    ) throws(MediationCompileError) -> [any CompiledMediator]? {
        switch branch {
        case nil: return nil
        case .sequence(let key)?:
            compilation.referSequence(key)
            return [CompiledSequenceMediator(key: key)]
        case .inline(let mediators)?:
            return try compilation.compile(mediators)
        }
    }

    var readsBody: Bool { false }
    var references: [MediationReference] { onAccept.allReferences + (onReject ?? []).allReferences }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        if context.isResponse { return onAccept.isEmpty ? .proceed : .enter(onAccept) }
        var permit: ConcurrencyPermit?
        if let concurrency {
            permit = concurrency.acquire()
            if permit == nil { return rejected() }
        }
        guard admitsByRate(context) else {
            // The place is given back at once (the permit goes with this scope), as Synapse rolls it back.
            return rejected()
        }
        if let permit { context.concurrencyPermits.append(permit) }
        return onAccept.isEmpty ? .proceed : .enter(onAccept)
    }

    private func rejected() -> MediatorOutcome {
        guard let onReject else { return .stop(.drop) }
        return .enter(onReject + [CompiledThrottleRejectEnd()])
    }

    /// True when the caller's rule admits one more request now (and counts it).
    private func admitsByRate(_ context: MessageContext) -> Bool {
        let caller = context.clientAddress ?? ""
        let now = context.clock.millisecondsSinceEpoch()
        let rule = rules.first { $0.matcher.matches(caller) }?.caller ?? fallback
        let admitted: Bool
        switch rule?.access {
        case nil, .allow?:
            admitted = true
        case .deny?:
            admitted = false
        case .control(let maximum, let unit, let prohibit)?:
            if prohibited.isProhibited(caller, now: now) {
                admitted = false
            } else {
                admitted = counters.admit(scope: scope, caller: caller, limit: maximum, windowMillis: unit, nowMillis: now)
                if !admitted, let prohibit, prohibit > 0 { prohibited.prohibit(caller, until: now + prohibit) }
            }
        }
        return admitted
    }
}

/// Ends `onReject`: the rejected message does not go on with the mediators after `<throttle>` (Synapse returns
/// false); the flow stops with what `onReject` answered, or with nothing.
struct CompiledThrottleRejectEnd: CompiledMediator {
    var readsBody: Bool { false }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        .stop(.drop)
    }
}

/// Callers refused until a time (`ProhibitTimePeriod`), bounded so a flood of addresses cannot grow it without end.
final class ProhibitedCallers: Sendable {
    private let until = Mutex(LRUDictionary<String, Int64>(capacity: 10_000))

    func isProhibited(_ caller: String, now: Int64) -> Bool {
        until.withLock { entries in
            guard let end = entries.peek(caller) else { return false }
            if end > now { return true }
            _ = entries.removeValue(forKey: caller)
            return false
        }
    }

    func prohibit(_ caller: String, until end: Int64) {
        until.withLock { _ = $0.updateValue(end, forKey: caller) }
    }
}
