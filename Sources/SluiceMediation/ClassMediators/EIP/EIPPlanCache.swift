import Synchronization

/// The routing an EIP library mediator built from a parameter's text, kept by that text: Synapse rebuilds it for
/// every message, and we only need to once per distinct text. Bounded, since a caller may pass computed text.
final class EIPPlanCache<Plan: Sendable>: Sendable {
    private static var capacity: Int { 64 }
    private let plans = Mutex<[String: Plan]>([:])

    /// The plan for `text`, built (and kept) on first use.
    /// - Throws: `MediationFault` from `build`; a failed text is not kept, so it fails the same way next time.
    func plan(for text: String, build: (String) throws(MediationFault) -> Plan) throws(MediationFault) -> Plan {
        if let plan = plans.withLock({ $0[text] }) { return plan }
        let plan = try build(text)
        plans.withLock { plans in
            if plans.count >= Self.capacity { plans.removeAll(keepingCapacity: true) }
            plans[text] = plan
        }
        return plan
    }
}
