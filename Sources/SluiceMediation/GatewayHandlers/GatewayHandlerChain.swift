import NIOCore

/// An API's compiled handler chain: the handlers in document order, built once per deployment.
public struct GatewayHandlerChain: Sendable {
    /// The handlers with the class names they were configured under.
    public let entries: [(className: String, handler: any GatewayHandler)]
    /// True when a handler runs a sequence that reads the request body.
    public let readsRequestBody: Bool
    /// True when a handler runs a sequence that reads the response body.
    public let readsResponseBody: Bool

    /// Creates a chain from handlers in request order.
    public init(_ entries: [(className: String, handler: any GatewayHandler)]) {
        self.entries = entries
        self.readsRequestBody = entries.contains { $0.handler.readsRequestBody }
        self.readsResponseBody = entries.contains { $0.handler.readsResponseBody }
    }

    /// A chain without handlers.
    public static let empty = GatewayHandlerChain([])

    /// Starts running the chain for one message.
    public func makeExecution() -> GatewayHandlerChainExecution {
        GatewayHandlerChainExecution(chain: self)
    }
}

/// What running a handler chain led to.
public enum GatewayHandlerChainStep: Sendable {
    /// Every hook proceeded: go on (to the in sequence, or send the response to the client).
    case completed
    /// A handler answered; reply with the current message.
    case respond
    /// A handler rejected the message with this fault.
    case fault(MediationFault)
    /// Wait for the future, then call the same run method again; it resumes at the handler that suspended.
    case suspend(EventLoopFuture<Void>)
    /// A handler asked for a sequence. With `.proceed`, call `sequenceFinished()` when it ran to its end and
    /// then the same run method again; with `.reply` the handler answered (as with `respond`).
    case runSequence(CompiledSequence, then: GatewayHandlerSequenceContinuation)
}

/// The position of one message in a handler chain: request hooks in order, then response hooks in reverse,
/// each resumable after a suspension.
///
/// When a request hook short-circuits (`respond` or `fault`), the response hooks of the handlers *before* it
/// still run on the reply, so latency, usage and CORS handlers see every response. The short-circuiting
/// handler's own response hook does not run.
public struct GatewayHandlerChainExecution: Sendable {
    private let chain: GatewayHandlerChain
    /// Index of the next request hook to run.
    private var requestPosition = 0
    /// Index (exclusive) below which response hooks are still due, counting down.
    private var responsePosition: Int?

    init(chain: GatewayHandlerChain) {
        self.chain = chain
    }

    /// Runs (or resumes) the request hooks.
    public mutating func runRequest(_ context: inout MessageContext) -> GatewayHandlerChainStep {
        runRequest(&context, observer: UnobservedHandlers?.none)
    }

    /// Runs (or resumes) the request hooks, telling `observer` about each hook (tracing, decided at start).
    public mutating func runRequest(
        _ context: inout MessageContext,
        observer: (some GatewayHandlerObserver)?
    ) -> GatewayHandlerChainStep {
        while requestPosition < chain.entries.count {
            let entry = chain.entries[requestPosition]
            observer?.handlerWillRun(at: requestPosition, className: entry.className, onResponse: false)
            let decision = entry.handler.handleRequest(&context)
            observer?.handlerDidRun(at: requestPosition, decision: decision, context: context, onResponse: false)
            switch decision {
            case .proceed:
                requestPosition += 1
            case .respond:
                return .respond
            case .fault(let fault):
                return .fault(fault)
            case .suspend(let future):
                return .suspend(future)
            case .runSequence(let sequence, let then):
                return .runSequence(sequence, then: then)
            }
        }
        return .completed
    }

    /// A `.proceed` sequence a hook asked for ran to its end: the next run continues after that hook.
    public mutating func sequenceFinished() {
        if let position = responsePosition {
            responsePosition = max(position - 1, 0)
        } else {
            requestPosition += 1
        }
    }

    /// Runs (or resumes) the response hooks, in reverse order, of the handlers whose request hooks proceeded.
    public mutating func runResponse(_ context: inout MessageContext) -> GatewayHandlerChainStep {
        runResponse(&context, observer: UnobservedHandlers?.none)
    }

    /// Runs (or resumes) the response hooks, telling `observer` about each hook.
    public mutating func runResponse(
        _ context: inout MessageContext,
        observer: (some GatewayHandlerObserver)?
    ) -> GatewayHandlerChainStep {
        var position = responsePosition ?? requestPosition
        defer { responsePosition = position }
        while position > 0 {
            let entry = chain.entries[position - 1]
            observer?.handlerWillRun(at: position - 1, className: entry.className, onResponse: true)
            let decision = entry.handler.handleResponse(&context)
            observer?.handlerDidRun(at: position - 1, decision: decision, context: context, onResponse: true)
            switch decision {
            case .proceed:
                position -= 1
            case .respond:
                position = 0
                return .respond
            case .fault(let fault):
                position = 0
                return .fault(fault)
            case .suspend(let future):
                return .suspend(future)
            case .runSequence(let sequence, .proceed):
                return .runSequence(sequence, then: .proceed)
            case .runSequence(let sequence, .reply):
                position = 0
                return .runSequence(sequence, then: .reply)
            }
        }
        return .completed
    }
}

/// Told about each hook a handler chain runs, for tracing; a hook that suspends is told again when it resumes.
public protocol GatewayHandlerObserver: AnyObject {
    /// The hook of the handler at `index` (request or response side) is about to run.
    func handlerWillRun(at index: Int, className: String, onResponse: Bool)
    /// It returned `decision`, leaving the message as `context` holds it.
    func handlerDidRun(at index: Int, decision: GatewayHandlerDecision, context: MessageContext, onResponse: Bool)
}

/// The observer type of runs nobody observes (always nil, so the calls compile away).
public final class UnobservedHandlers: GatewayHandlerObserver {
    public func handlerWillRun(at index: Int, className: String, onResponse: Bool) {}
    public func handlerDidRun(at index: Int, decision: GatewayHandlerDecision, context: MessageContext, onResponse: Bool) {}
}
