import NIOCore
import NIOHTTP1

/// The rules `HTTPConnectionGuardHandler` enforces on a server whose request handling it does not own (the
/// management server, a Hummingbird application), the same the gateway's own connection handler enforces:
/// - a request head must arrive within `idleTimeout` of the connection opening or of the last response ending
///   (this bounds idle keep-alive connections and slow heads alike: the timer does not restart per byte);
/// - a whole request must arrive within `readTimeout` of its head (else 408, or a close once a response started);
/// - a request with a missing, repeated or malformed `Host` gets 400 once the responses before it went out.
///
/// A pure state machine: the handler feeds it events with the event loop's time and carries out the actions.
struct HTTPConnectionGuardStateMachine {
    struct Timeouts {
        var idle: TimeAmount
        var read: TimeAmount
    }

    enum State {
        // Waiting for a request head since `since`; `pendingResponses` responses are still to be written.
        case open(since: NIODeadline, pendingResponses: Int)
        // A request's head arrived at `headAt`, its end has not; `responseStarted` once its response head went out.
        case readingRequest(headAt: NIODeadline, pendingResponses: Int, responseStarted: Bool)
        // A request was refused: inbound parts are dropped; the refusal goes out after the pending responses.
        case refusing(status: HTTPResponseStatus, pendingResponses: Int)
        // Closing or closed: nothing more happens.
        case closed
    }

    /// What the handler does with an inbound part.
    enum ReadAction: Equatable {
        case forward
        case drop
        /// Write this status as a whole response, then close.
        case refuseAndClose(HTTPResponseStatus)
    }

    /// What the handler does after a response part went out, or when its timer fires.
    enum CloseAction: Equatable {
        case none
        case refuseAndClose(HTTPResponseStatus)
        case close
    }

    private(set) var state: State
    let timeouts: Timeouts

    init(timeouts: Timeouts, now: NIODeadline) {
        self.timeouts = timeouts
        self.state = .open(since: now, pendingResponses: 0)
    }

    /// When the timer must next fire; nil when no deadline applies (a response is being produced).
    var deadline: NIODeadline? {
        switch state {
        case .open(let since, 0): since + timeouts.idle
        case .readingRequest(let headAt, _, _): headAt + timeouts.read
        case .open, .refusing, .closed: nil
        }
    }

    mutating func read(_ part: HTTPServerRequestPart, now: NIODeadline) -> ReadAction {
        switch (state, part) {
        case (.open(_, let pending), .head(let head)):
            if HostHeaderCheck.problem(in: head) != nil { return refuse(.badRequest, pendingResponses: pending) }
            state = .readingRequest(headAt: now, pendingResponses: pending + 1, responseStarted: false)
            return .forward
        case (.readingRequest(_, let pending, _), .end):
            state = .open(since: now, pendingResponses: pending)
            return .forward
        case (.readingRequest, .body):
            return .forward
        case (.open, _), (.readingRequest, .head):
            // The decoder does not produce these; refuse rather than guess.
            return refuse(.badRequest, pendingResponses: 0)
        case (.refusing, _), (.closed, _):
            return .drop
        }
    }

    mutating func wrote(_ part: HTTPServerResponsePart, now: NIODeadline) -> CloseAction {
        switch (state, part) {
        case (.readingRequest(let headAt, let pending, false), .head):
            state = .readingRequest(headAt: headAt, pendingResponses: pending, responseStarted: true)
        case (.open(_, let pending), .end):
            state = .open(since: now, pendingResponses: max(0, pending - 1))
        case (.readingRequest(let headAt, let pending, let started), .end):
            state = .readingRequest(headAt: headAt, pendingResponses: max(0, pending - 1), responseStarted: started)
        case (.refusing(let status, let pending), .end):
            guard pending <= 1 else {
                state = .refusing(status: status, pendingResponses: pending - 1)
                return .none
            }
            state = .closed
            return .refuseAndClose(status)
        default:
            break
        }
        return .none
    }

    mutating func timerFired(now: NIODeadline) -> CloseAction {
        guard let deadline, now >= deadline else { return .none }
        switch state {
        case .open:
            state = .closed
            return .close
        case .readingRequest(_, let pending, let started):
            // Only a request whose response has not begun (and has none ahead of it) can still get a 408.
            state = .closed
            return started || pending > 1 ? .close : .refuseAndClose(.requestTimeout)
        case .refusing, .closed:
            return .none
        }
    }

    mutating func closed() {
        state = .closed
    }

    private mutating func refuse(_ status: HTTPResponseStatus, pendingResponses: Int) -> ReadAction {
        guard pendingResponses == 0 else {
            // Responses to earlier (pipelined) requests are still coming: answer in order, after them.
            state = .refusing(status: status, pendingResponses: pendingResponses)
            return .drop
        }
        state = .closed
        return .refuseAndClose(status)
    }
}
