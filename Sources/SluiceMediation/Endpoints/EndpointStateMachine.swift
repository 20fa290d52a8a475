import NIOCore
import SluiceModel

/// The suspension state of one leaf endpoint, as Synapse's `EndpointContext` keeps it.
///
/// Pure and synchronous: the caller passes the current monotonic time in and applies the returned `Action`.
/// `EndpointState` wraps one in a lock so event loops can share it.
///
/// - Active: requests go through.
/// - Timeout: a `markForSuspension` error happened; the endpoint is retried after `retryDelay`, and after
///   `retriesBeforeSuspension` more such errors it is suspended.
/// - Suspended: a `suspendOnFailure` error happened (or the retries ran out); requests fail fast until the
///   suspension ends. Each further suspension lasts `progressionFactor` times longer, capped at
///   `maximumDuration`. A success returns the endpoint to Active and resets the progression.
public struct EndpointStateMachine: Sendable, Hashable {
    /// The state, as WSO2 reports it.
    public enum State: Sendable, Hashable {
        /// Healthy.
        case active
        /// Marked for suspension: `retriesLeft` more timeout errors suspend it; not ready before `retryAt`.
        case timeout(retriesLeft: Int, retryAt: NIODeadline)
        /// Suspended until `until`; the previous suspension lasted `duration`.
        case suspended(until: NIODeadline, duration: TimeAmount)

        /// The state name WSO2 prints in 303001 messages.
        public var name: String {
            switch self {
            case .active: "ACTIVE"
            case .timeout: "TIMEOUT"
            case .suspended: "SUSPENDED"
            }
        }
    }

    /// What the caller should do after a report.
    public enum Action: Sendable, Hashable {
        /// Nothing changed that matters.
        case none
        /// The endpoint entered (or stayed in) the Timeout state; `retriesLeft` timeouts remain.
        case markedForSuspension(retriesLeft: Int)
        /// The endpoint is suspended for `duration`.
        case suspended(duration: TimeAmount)
        /// The endpoint recovered (from Timeout or Suspended) and is Active again.
        case resumed
    }

    /// Settings with Synapse's defaults filled in.
    public struct Settings: Sendable, Hashable {
        /// Error codes that suspend at once; empty means every error that is not a timeout code.
        public var suspendErrorCodes: Set<Int>
        /// The first suspension's length.
        public var initialDuration: TimeAmount
        /// How much longer each further suspension lasts.
        public var progressionFactor: Double
        /// Nil: no cap.
        public var maximumDuration: TimeAmount?
        /// Error codes that mark the endpoint for suspension (default 101504, 101505).
        public var timeoutErrorCodes: Set<Int>
        /// Timeout errors tolerated before suspending.
        public var retriesBeforeSuspension: Int
        /// How long a Timeout endpoint waits before it is tried again.
        public var retryDelay: TimeAmount

        /// Reads the QoS of an endpoint definition; absent settings get Synapse's defaults.
        public init(qos: EndpointQoS) {
            let suspend = qos.suspendOnFailure
            suspendErrorCodes = Set(suspend?.errorCodes ?? [])
            let initial = suspend?.initialDuration ?? -1
            initialDuration = .milliseconds(initial < 0 ? 30_000 : initial)
            progressionFactor = suspend?.progressionFactor ?? 1
            maximumDuration = suspend?.maximumDuration.flatMap { $0 > 0 ? .milliseconds($0) : nil }
            let mark = qos.markForSuspension
            let markCodes = mark?.errorCodes ?? []
            timeoutErrorCodes = markCodes.isEmpty ? SynapseErrorCode.defaultTimeoutCodes : Set(markCodes)
            retriesBeforeSuspension = max(0, mark?.retriesBeforeSuspension ?? 0)
            retryDelay = .milliseconds(max(0, mark?.retryDelay ?? 0))
        }
    }

    /// The endpoint's QoS with defaults applied.
    public let settings: Settings
    /// The current state.
    public private(set) var state: State = .active

    /// Creates the machine in the Active state.
    public init(settings: Settings) {
        self.settings = settings
    }

    /// Creates the machine for an endpoint's QoS settings.
    public init(qos: EndpointQoS) {
        self.init(settings: Settings(qos: qos))
    }

    /// Whether a request may be sent now. Suspended and Timeout endpoints become ready again when their time
    /// is up; they stay in their state until the next report, as in Synapse.
    public func isReady(now: NIODeadline) -> Bool {
        switch state {
        case .active: true
        case .timeout(_, let retryAt): now >= retryAt
        case .suspended(let until, _): now >= until
        }
    }

    /// Reports a successful call.
    public mutating func recordSuccess() -> Action {
        if case .active = state { return .none }
        state = .active
        return .resumed
    }

    /// Reports a failed call with its Synapse error code.
    /// - Parameters:
    ///   - errorCode: The code of the failure (`SynapseErrorCode`).
    ///   - now: The current monotonic time.
    public mutating func recordFailure(errorCode: Int, now: NIODeadline) -> Action {
        if settings.timeoutErrorCodes.contains(errorCode) {
            return recordTimeout(now: now)
        }
        if settings.suspendErrorCodes.isEmpty || settings.suspendErrorCodes.contains(errorCode) {
            return suspend(now: now)
        }
        return .none
    }

    private mutating func recordTimeout(now: NIODeadline) -> Action {
        let retriesLeft: Int
        switch state {
        case .active:
            retriesLeft = settings.retriesBeforeSuspension
        case .timeout(let left, _):
            retriesLeft = left - 1
        case .suspended:
            // A retry after the suspension failed again: the next, longer suspension.
            return suspend(now: now)
        }
        guard retriesLeft > 0 else { return suspend(now: now) }
        state = .timeout(retriesLeft: retriesLeft, retryAt: now + settings.retryDelay)
        return .markedForSuspension(retriesLeft: retriesLeft)
    }

    private mutating func suspend(now: NIODeadline) -> Action {
        var duration = settings.initialDuration
        if case .suspended(_, let previous) = state {
            let grown = Double(previous.nanoseconds) * settings.progressionFactor
            duration = .nanoseconds(grown >= Double(Int64.max) ? Int64.max : Int64(grown))
        }
        if let cap = settings.maximumDuration, duration > cap { duration = cap }
        state = .suspended(until: now + duration, duration: duration)
        return .suspended(duration: duration)
    }
}
