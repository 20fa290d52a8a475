import NIOHTTP1
import SluiceMediation
import SluiceModel
import Tracing

/// The spans of one gateway request, made only when tracing is on: a server span for the whole exchange (which
/// continues the client's `traceparent`), a child span per handler hook, per mediation sequence and per backend
/// call, whose context the backend receives in `traceparent`. Everything runs on the connection's event loop.
///
/// The exchange opens and annotates spans; ``RequestSpanHandler``, which sees the response leave, ends them.
final class ExchangeTrace: GatewayHandlerObserver {
    private let tracer: any Tracer
    let root: any Span
    private var handler: (index: Int, onResponse: Bool, span: any Span)?
    private var sequence: (any Span)?
    private var backend: (any Span)?
    private(set) var isEnded = false

    init(tracer: any Tracer, head: HTTPRequestHead, path: Substring, transport: SynapseAPI.Transport, peer: String?) {
        self.tracer = tracer
        var parent = ServiceContext.topLevel
        tracer.extract(head.headers, into: &parent, using: HTTPHeadersExtractor())
        root = tracer.startSpan("\(head.method.rawValue)", context: parent, ofKind: .server)
        guard root.isRecording else { return }
        root.updateAttributes { attributes in
            attributes["http.request.method"] = head.method.rawValue
            attributes["url.path"] = String(path)
            attributes["url.scheme"] = transport.rawValue
            attributes["network.protocol.version"] = "\(head.version.major).\(head.version.minor)"
            attributes["network.peer.address"] = peer
            attributes["user_agent.original"] = head.headers.first(name: "User-Agent")
        }
    }

    // MARK: - Routing and the reply

    /// The request was dispatched to a resource of an API.
    func routed(to resource: DispatchedResource, route: String, clientAddress: String?) {
        guard root.isRecording else { return }
        root.operationName = "\(root.operationName) \(route)"
        root.updateAttributes { attributes in
            attributes["http.route"] = route
            attributes["client.address"] = clientAddress
            attributes["sluice.api"] = resource.apiName
            attributes["sluice.api.version"] = resource.version
            attributes["sluice.resource"] = resource.resourceTemplate
        }
    }

    /// The reply is about to be written: the running sequence ends; what mediation learnt joins the server span.
    func replying(_ context: MessageContext) {
        endSequence()
        guard root.isRecording else { return }
        let application = context[property: APIManagerProperty.applicationName]?.stringValue
        let faultCode = context[property: SynapseProperty.errorCode]?.stringValue
        root.updateAttributes { attributes in
            attributes["sluice.application"] = application
            attributes["sluice.fault.code"] = faultCode
            attributes["sluice.backend"] = context.backendEndpoint
        }
    }

    /// The response head went out with `status`.
    func responded(status: Int) {
        guard root.isRecording else { return }
        root.attributes["http.response.status_code"] = status
        if status >= 500 { root.setStatus(SpanStatus(code: .error)) }
    }

    /// The response ended (or the connection closed first, `failure` saying why): every open span ends.
    func end(failure: String? = nil) {
        guard !isEnded else { return }
        isEnded = true
        if let failure { root.attributes["error.type"] = failure }
        handler?.span.end()
        handler = nil
        backendEnded(failure: failure)
        endSequence()
        root.end()
    }

    // MARK: - Handlers

    func handlerWillRun(at index: Int, className: String, onResponse: Bool) {
        // A hook that suspended runs again when it resumes: its span goes on.
        if let handler, handler.index == index, handler.onResponse == onResponse { return }
        handler?.span.end()
        let name = className.split(separator: ".").last.map(String.init) ?? className
        let span = tracer.startSpan(name, context: root.context, ofKind: .internal)
        if span.isRecording {
            span.updateAttributes { attributes in
                attributes["sluice.handler.class"] = className
                attributes["sluice.handler.phase"] = onResponse ? "response" : "request"
            }
        }
        handler = (index, onResponse, span)
    }

    func handlerDidRun(at index: Int, decision: GatewayHandlerDecision, context: MessageContext, onResponse: Bool) {
        guard let span = handler?.span else { return }
        switch decision {
        case .suspend:
            return
        case .fault(let fault):
            span.attributes["sluice.fault.code"] = fault.code
            span.setStatus(SpanStatus(code: .error, message: fault.message))
        case .respond, .runSequence(_, then: .reply):
            // A handler that refused the call answers through a sequence (`_auth_failure_handler_`...) or itself,
            // with the fault recorded on the message.
            if let code = context[property: SynapseProperty.errorCode]?.stringValue {
                span.attributes["sluice.fault.code"] = code
                span.setStatus(SpanStatus(code: .error, message: context[property: SynapseProperty.errorMessage]?.stringValue))
            }
        case .proceed, .runSequence:
            break
        }
        span.end()
        handler = nil
    }

    // MARK: - Sequences

    /// A mediation sequence starts (`flow`: in, out, fault, or a handler's); the previous one, if any, ended.
    func sequenceStarted(_ compiled: CompiledSequence, flow: String) {
        endSequence()
        let span = tracer.startSpan("sequence \(compiled.name ?? flow)", context: root.context, ofKind: .internal)
        if span.isRecording {
            span.updateAttributes { attributes in
                attributes["sluice.sequence.name"] = compiled.name ?? flow
                attributes["sluice.sequence.flow"] = flow
            }
        }
        sequence = span
    }

    func endSequence() {
        sequence?.end()
        sequence = nil
    }

    // MARK: - Backend

    /// A request to a backend is about to go out: its span starts (under the running sequence for a `call`, whose
    /// sequence goes on afterwards; under the server span for a `send`, which ends its sequence) and its context
    /// goes into `headers` as `traceparent`.
    func backendStarting(
        head: inout HTTPRequestHead,
        server: (host: String, port: Int, isTLS: Bool),
        endpoint: String,
        isCall: Bool
    ) {
        backendEnded(failure: nil)
        if !isCall { endSequence() }
        let parent = (isCall ? sequence : nil)?.context ?? root.context
        let span = tracer.startSpan(head.method.rawValue, context: parent, ofKind: .client)
        if span.isRecording {
            let scheme = server.isTLS ? "https" : "http"
            span.updateAttributes { attributes in
                attributes["http.request.method"] = head.method.rawValue
                attributes["server.address"] = server.host
                attributes["server.port"] = server.port
                attributes["url.full"] = "\(scheme)://\(server.host):\(server.port)\(head.uri)"
                attributes["sluice.backend"] = endpoint
            }
        }
        tracer.inject(span.context, into: &head.headers, using: HTTPHeadersInjector())
        backend = span
    }

    /// The backend answered with `status`.
    func backendResponded(status: Int) {
        guard let backend, backend.isRecording else { return }
        backend.attributes["http.response.status_code"] = status
        if status >= 500 { backend.setStatus(SpanStatus(code: .error)) }
    }

    /// The backend exchange ended: its response was read, or it failed (`failure`).
    func backendEnded(failure: String?) {
        guard let backend else { return }
        if let failure {
            backend.attributes["error.type"] = failure
            backend.setStatus(SpanStatus(code: .error, message: failure))
        }
        backend.end()
        self.backend = nil
    }
}
