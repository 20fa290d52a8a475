/// A subscription's state as WSO2's store and publisher name it.
public enum SubscriptionStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case unblocked = "UNBLOCKED"
    case blocked = "BLOCKED"
    /// Blocked for production keys; sandbox keys still pass.
    case prodOnlyBlocked = "PROD_ONLY_BLOCKED"
    /// Waiting for workflow approval.
    case onHold = "ON_HOLD"
    case rejected = "REJECTED"
    /// A tier change waits for approval; the old tier still applies.
    case tierUpdatePending = "TIER_UPDATE_PENDING"

    /// Whether calls with keys of `keyType` may go through a subscription in this state.
    /// - Parameter keyType: The key type of the calling token.
    /// - Returns: True when the subscription admits the call.
    public func admits(_ keyType: KeyType) -> Bool {
        switch self {
        case .unblocked, .tierUpdatePending: true
        case .prodOnlyBlocked: keyType == .sandbox
        case .blocked, .onHold, .rejected: false
        }
    }
}
