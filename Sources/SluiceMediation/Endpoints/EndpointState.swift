import NIOCore
import Synchronization

/// The shared, lock-protected suspension state of one leaf endpoint.
///
/// One instance per deployed leaf endpoint, shared by every event loop; each endpoint has its own lock, so
/// endpoints never contend with each other.
public final class EndpointState: Sendable {
    private let machine: Mutex<EndpointStateMachine>

    /// Creates the state in the Active state.
    public init(machine: EndpointStateMachine) {
        self.machine = Mutex(machine)
    }

    /// A snapshot of the state machine.
    public var snapshot: EndpointStateMachine {
        machine.withLock { $0 }
    }

    /// See `EndpointStateMachine.isReady(now:)`.
    public func isReady(now: NIODeadline) -> Bool {
        machine.withLock { $0.isReady(now: now) }
    }

    /// See `EndpointStateMachine.recordSuccess()`.
    @discardableResult
    public func recordSuccess() -> EndpointStateMachine.Action {
        machine.withLock { $0.recordSuccess() }
    }

    /// See `EndpointStateMachine.recordFailure(errorCode:now:)`.
    @discardableResult
    public func recordFailure(errorCode: Int, now: NIODeadline) -> EndpointStateMachine.Action {
        machine.withLock { $0.recordFailure(errorCode: errorCode, now: now) }
    }

    /// Forgets any suspension (an operator's reset; WSO2 needs a restart for this).
    public func reset() {
        machine.withLock { $0 = EndpointStateMachine(settings: $0.settings) }
    }
}
