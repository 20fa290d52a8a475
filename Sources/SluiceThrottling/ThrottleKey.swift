/// What a counter counts: a level plus the subject inside it.
///
/// `scope` is built once at deploy time (e.g. `/pizzashack/1.0.0:1.0.0`) and shared, and `subject` comes from the
/// request (application id, user, client IP), so making a key costs no string building on the hot path.
public struct ThrottleKey: Hashable, Sendable, CustomStringConvertible {
    public var level: ThrottleLevel
    public var scope: String
    public var subject: String

    public init(level: ThrottleLevel, scope: String, subject: String = "") {
        self.level = level
        self.scope = scope
        self.subject = subject
    }

    /// A flat form for shared (cluster) counter stores, as WSO2 keys them: `appId:context:version` and so on.
    public var description: String {
        subject.isEmpty ? "\(level.rawValue)|\(scope)" : "\(level.rawValue)|\(subject):\(scope)"
    }
}

/// The levels a request is counted at, in the order they are checked.
public enum ThrottleLevel: String, Sendable, Hashable, CaseIterable {
    /// Hard limit of the backend (`productionMaxCount`/`sandboxMaxCount`), per second.
    case hardLimit = "hard"
    /// API-level policy over every caller (`context:version`).
    case api
    /// Resource-level policy (`context:version:METHOD:template`).
    case resource
    /// Subscription tier (`appId:context:version`), or the Unauthenticated tier per client IP for auth-None resources.
    case subscription
    /// Subscription burst control, per `burstUnitTime`.
    case subscriptionBurst = "subscription-burst"
    /// Application tier (`appId:user`).
    case application
    /// Application burst control.
    case applicationBurst = "application-burst"
}
