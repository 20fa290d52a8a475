import NIOCore

/// A gateway handler: code that runs around an API's sequences, with a hook for the request (in document order)
/// and one for the response (in reverse order), like Synapse's `handleRequest` / `handleResponse`.
///
/// Hooks run synchronously on the event loop. A hook that must wait (a key-validation cache miss, say) starts
/// the work and returns `.suspend(future)`; the gateway waits for the future and then calls the same hook again,
/// which now finds what it needs (in its cache, or in the context through the work it started).
///
/// ```swift
/// struct DenyDeleteHandler: GatewayHandler {
///     func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision {
///         guard context.method == "DELETE" else { return .proceed }
///         return .fault(MediationFault(code: 900908, message: "Resource forbidden", httpStatus: 403))
///     }
/// }
/// ```
public protocol GatewayHandler: Sendable {
    /// Runs before the in sequence.
    func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision
    /// Runs after the out sequence, on the response.
    func handleResponse(_ context: inout MessageContext) -> GatewayHandlerDecision
    /// Called once when an API using the handler is deployed: returns the handler to run for that API, e.g. a
    /// copy holding the named sequences it runs (`_auth_failure_handler_`...) looked up in `deployment`, so the
    /// request path never looks a sequence up by name.
    func bound(to deployment: GatewayHandlerDeployment) -> any GatewayHandler
    /// True when a sequence this handler runs on the request reads the body (the gateway then buffers it).
    var readsRequestBody: Bool { get }
    /// True when a sequence this handler runs on the response reads the body (the gateway then buffers it).
    var readsResponseBody: Bool { get }
}

extension GatewayHandler {
    /// By default a handler leaves the response alone.
    public func handleResponse(_ context: inout MessageContext) -> GatewayHandlerDecision { .proceed }
    /// By default a handler needs nothing from the deployment.
    public func bound(to deployment: GatewayHandlerDeployment) -> any GatewayHandler { self }
    /// By default a handler runs no sequence on the request.
    public var readsRequestBody: Bool { false }
    /// By default a handler runs no sequence on the response.
    public var readsResponseBody: Bool { false }
}

/// What a handler hook decided.
public enum GatewayHandlerDecision: Sendable {
    /// Go on to the next handler (or the sequence).
    case proceed
    /// Stop here and reply to the client with the current message (`statusCode`, `headers`, `body`).
    case respond
    /// Stop here and answer with this fault (the gateway formats it; e.g. 900901 with HTTP 401).
    case fault(MediationFault)
    /// Wait for the future, then call the same hook again.
    case suspend(EventLoopFuture<Void>)
    /// Run this deployed sequence on the current message (WSO2's `_auth_failure_handler_`, the extension
    /// sequences...), then go on as `then` says. A sequence that ends in `<respond/>` or `<drop/>` always stops
    /// the flow there.
    case runSequence(CompiledSequence, then: GatewayHandlerSequenceContinuation)
}

/// What the gateway does once a handler's sequence ran to its end.
public enum GatewayHandlerSequenceContinuation: Sendable, Hashable {
    /// Reply with the message as the sequence left it (a handler that answered, e.g. with a fault, before
    /// letting a sequence adjust the answer). The hook counts as having answered, like `.respond`.
    case reply
    /// Go on as if the hook had returned `.proceed` (extension sequences).
    case proceed
}
