import NIOCore

/// The life of one keep-alive backend connection, as a pure state machine: `UpstreamConnection` feeds it channel
/// events and calls from the exchange, and carries out the `Action`s it returns. No I/O and no clock inside: the
/// caller passes the time in.
///
/// - idle: pooled, no exchange.
/// - active: one exchange; it ends when both the request and the response are complete, and the connection then
///   goes back to idle (keep-alive) or closes.
/// - closed: failed, timed out or abandoned; never reused.
///
/// One response timer per connection: it is not cancelled per exchange. When it fires it re-checks the response
/// deadline and re-arms, so a busy keep-alive connection schedules about one task per timeout period.
struct UpstreamConnectionStateMachine {
    enum State: Equatable {
        case idle
        case active(Exchange)
        case closed
    }

    /// The running exchange.
    struct Exchange: Equatable {
        var requestComplete = false
        var response = Response.awaitingHead
        /// False once either side said `Connection: close` (or the backend answered before the request ended).
        var keepAlive: Bool
        /// When the response head is due; nil once it arrived.
        var responseDeadline: NIODeadline?
    }

    enum Response: Equatable {
        case awaitingHead
        case receiving
        case complete
    }

    /// What the connection does about an event.
    enum Action: Equatable {
        /// Nothing.
        case none
        /// Pass the event on to the exchange.
        case forward
        /// Pass the response's end on, after the connection went back to the pool (or closed).
        case forwardEnd(then: Completion)
        /// Tell the exchange it failed, then close.
        case failExchange(UpstreamError)
        /// Close quietly (no exchange to tell).
        case close
        /// Read from the socket now.
        case read
    }

    /// What follows a completed exchange.
    enum Completion: Equatable {
        /// The exchange is over; the connection is idle: hand it back to the pool.
        case release
        /// The exchange is over; the connection cannot be reused.
        case close
        /// The request is still being written (the backend answered early): nothing yet.
        case none
    }

    /// What `startRequest` does.
    enum StartAction: Equatable {
        /// The connection cannot take a request (closed, busy or gone): fail without writing.
        case refuse
        /// Write the head; `scheduleTimer` says when the response timer must fire, if it has to be (re)armed.
        case writeHead(scheduleTimer: NIODeadline?)
    }

    /// What a timer firing does.
    enum TimerAction: Equatable {
        case none
        /// The response did not start in time.
        case failExchange(UpstreamError)
        /// A later exchange's deadline is still ahead: arm the timer for it.
        case schedule(NIODeadline)
    }

    private(set) var state = State.idle
    private var readsPaused = false
    private var readPending = false
    /// When the scheduled timer fires; nil when none is scheduled.
    private var timerFiresAt: NIODeadline?
    /// How many exchanges completed, to tell fresh connections from reused ones.
    private(set) var completedExchanges = 0

    var isIdle: Bool { state == .idle }

    // MARK: - The exchange's calls

    /// Starts an exchange whose response head is due by `deadline`.
    mutating func startRequest(keepAlive: Bool, responseDeadline deadline: NIODeadline, channelIsActive: Bool) -> StartAction {
        guard case .idle = state, channelIsActive else { return .refuse }
        state = .active(Exchange(keepAlive: keepAlive, responseDeadline: deadline))
        if let firesAt = timerFiresAt, firesAt <= deadline { return .writeHead(scheduleTimer: nil) }
        timerFiresAt = deadline
        return .writeHead(scheduleTimer: deadline)
    }

    /// Whether a request body part may be written now.
    var acceptsRequestBody: Bool {
        if case .active(let exchange) = state { !exchange.requestComplete } else { false }
    }

    /// The request's end is written; returns what follows once it is (the response may already be complete).
    /// Nil when there is no request to end.
    mutating func finishRequest(channelIsActive: Bool) -> Completion? {
        guard case .active(var exchange) = state, !exchange.requestComplete else { return nil }
        exchange.requestComplete = true
        state = .active(exchange)
        guard exchange.response == .complete else { return Completion.none }
        return completeExchange(exchange, channelIsActive: channelIsActive)
    }

    /// The exchange is dropped and the connection with it.
    mutating func abandon() -> Action {
        if case .closed = state { return .none }
        state = .closed
        return .close
    }

    mutating func pauseReading() { readsPaused = true }

    mutating func resumeReading() -> Action {
        readsPaused = false
        guard readPending else { return .none }
        readPending = false
        return .read
    }

    // MARK: - Channel events

    mutating func responseHead(keepAlive: Bool) -> Action {
        guard case .active(var exchange) = state, exchange.response == .awaitingHead else { return .none }
        exchange.response = .receiving
        exchange.responseDeadline = nil
        if !keepAlive { exchange.keepAlive = false }
        state = .active(exchange)
        return .forward
    }

    mutating func responseBodyPart() -> Action {
        guard case .active(let exchange) = state, exchange.response == .receiving else { return .none }
        return .forward
    }

    mutating func responseEnd(channelIsActive: Bool) -> Action {
        guard case .active(var exchange) = state, exchange.response == .receiving else { return .none }
        exchange.response = .complete
        guard exchange.requestComplete else {
            // The backend answered before taking the whole request: the connection cannot be reused.
            exchange.keepAlive = false
            state = .active(exchange)
            return .forwardEnd(then: .none)
        }
        return .forwardEnd(then: completeExchange(exchange, channelIsActive: channelIsActive))
    }

    /// The socket wants to read: now, or once reads resume.
    mutating func read() -> Action {
        if readsPaused {
            readPending = true
            return .none
        }
        return .read
    }

    mutating func timerFired(now: NIODeadline) -> TimerAction {
        timerFiresAt = nil
        guard case .active(let exchange) = state, let deadline = exchange.responseDeadline else { return .none }
        if now >= deadline {
            // Still waiting for the head (the deadline is cleared when it arrives), so the exchange is told.
            state = .closed
            return .failExchange(.responseTimeout)
        }
        timerFiresAt = deadline
        return .schedule(deadline)
    }

    /// The channel closed, failed, or sent bytes that are not HTTP: the connection is done.
    mutating func fail(_ error: UpstreamError) -> Action {
        let previous = state
        state = .closed
        timerFiresAt = nil
        switch previous {
        case .active(let exchange) where exchange.response != .complete:
            return .failExchange(error)
        case .active, .idle:
            return .close
        case .closed:
            return .none
        }
    }

    // MARK: - Private

    private mutating func completeExchange(_ exchange: Exchange, channelIsActive: Bool) -> Completion {
        completedExchanges += 1
        guard exchange.keepAlive, channelIsActive else {
            state = .closed
            return .close
        }
        state = .idle
        readsPaused = false
        return .release
    }

    /// A read the channel asked for while reads were paused, to be issued now that the connection is idle again.
    mutating func takePendingRead() -> Bool {
        guard readPending, !readsPaused else { return false }
        readPending = false
        return true
    }
}
