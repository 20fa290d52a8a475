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
///     func handleRequest(_ context: inout MessageContext) -> HandlerDecision {
///         guard context.method == "DELETE" else { return .proceed }
///         return .fault(MediationFault(code: 900908, message: "Resource forbidden", httpStatus: 403))
///     }
/// }
/// ```
public protocol GatewayHandler: Sendable {
    /// Runs before the in sequence.
    func handleRequest(_ context: inout MessageContext) -> HandlerDecision
    /// Runs after the out sequence, on the response.
    func handleResponse(_ context: inout MessageContext) -> HandlerDecision
}

extension GatewayHandler {
    /// By default a handler leaves the response alone.
    public func handleResponse(_ context: inout MessageContext) -> HandlerDecision { .proceed }
}

/// What a handler hook decided.
public enum HandlerDecision: Sendable {
    /// Go on to the next handler (or the sequence).
    case proceed
    /// Stop here and reply to the client with the current message (`statusCode`, `headers`, `body`).
    case respond
    /// Stop here and answer with this fault (the gateway formats it; e.g. 900901 with HTTP 401).
    case fault(MediationFault)
    /// Wait for the future, then call the same hook again.
    case suspend(EventLoopFuture<Void>)
}
