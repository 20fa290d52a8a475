import Logging
import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel

/// One client request through the gateway: routing, handler chain, in sequence, endpoint, out sequence, fault
/// handling and the reply, driven on the connection's event loop without a thread hop.
///
/// The mediation (handlers and sequences over the `MessageContext`) runs here; every decision about bytes and
/// connections (where a body part goes, which leaf to try next, retries, when the reply ends) is
/// `ProxyExchangeStateMachine`'s, and this class carries out the actions it returns.
///
/// Bodies stream between client and backend unless the sequence that runs next reads them; then they are
/// buffered up to `maxBufferedBodyBytes`.
final class ProxyExchange: GatewayExchange {
    enum Flow: Equatable {
        case request
        case response
        case fault
        /// A sequence a request hook asked for (`GatewayHandlerDecision.runSequence`).
        case handlerRequest(GatewayHandlerSequenceContinuation)
        /// A sequence a response hook asked for.
        case handlerResponse(GatewayHandlerSequenceContinuation)
    }

    let connection: GatewayChannelHandler
    let runtime: GatewayRuntime
    let snapshot: DeploymentSnapshot
    let requestHead: HTTPRequestHead
    /// The request URI split once (routing and the context both need it).
    let requestTarget: RequestTarget
    var context: MessageContext
    var resource: CompiledResource?
    var handlerExecution: GatewayHandlerChainExecution?
    /// True when a handler of the API runs a sequence that reads the response body.
    var handlersReadResponseBody = false
    /// An OPTIONS request for a resource that does not list OPTIONS: only a handler (CORS) may answer it.
    var preflightOnly = false
    var flow = Flow.request
    var execution: SequenceExecution?
    /// The fault the running fault sequence handles.
    var pendingFault: MediationFault?
    /// The messages `clone`/`iterate` split off and the `aggregate` groups; nil until the first split.
    var scatter: ScatterGather?
    /// Request body, backend exchange and reply.
    var state: ProxyExchangeStateMachine<UpstreamConnection>
    /// The request's spans; nil unless tracing is on.
    var trace: ExchangeTrace?
    /// The last backend response head, written to the client as it is when the reply is exactly it.
    var backendHead: HTTPResponseHead?

    init(head: HTTPRequestHead, connection: GatewayChannelHandler, runtime: GatewayRuntime) {
        self.requestHead = head
        self.connection = connection
        self.runtime = runtime
        self.snapshot = runtime.snapshots.current
        let target = RequestTarget(uri: head.uri)
        self.requestTarget = target
        let expectsBody = Self.expectsBody(head)
        self.state = ProxyExchangeStateMachine(
            expectsRequestBody: expectsBody,
            maxBufferedBodyBytes: runtime.maxBufferedBodyBytes
        )
        self.context = MessageContext(
            method: head.method.rawValue,
            requestPath: String(target.path),
            query: target.query.map(String.init),
            headers: head.headers,
            body: expectsBody ? .streaming : .empty,
            logger: runtime.logger
        )
        context.writesXMLMultipleMarks = runtime.writesXMLMultipleMarks
        if runtime.correlatesLogs, let id = head.headers.first(name: GatewayAccessLog.correlationHeader) {
            context.logger[metadataKey: GatewayAccessLog.correlationHeader] = .string(id)
        }
        if let tracer = runtime.tracer {
            let trace = ExchangeTrace(
                tracer: tracer, head: head, path: target.path, transport: connection.transport, peer: connection.remoteAddress
            )
            self.trace = trace
            connection.handOverTrace(trace)
        }
    }

    static func expectsBody(_ head: HTTPRequestHead) -> Bool {
        if let length = head.headers.first(name: "Content-Length") { return length != "0" }
        return HopByHopHeaders.isChunked(head.headers)
    }

    // MARK: - Start

    func start() {
        let target = requestTarget
        guard target.refusal == nil else { return replyBadRequest() }
        let hostHeader = requestHead.headers.first(name: "Host")
        let (host, hostPort) = UpstreamRequestBuilder.splitHost(hostHeader)
        switch snapshot.router(for: connection.transport).route(
            method: requestHead.method.rawValue,
            target: target,
            host: host,
            // Without a port in Host, Synapse takes the scheme's default port, not the listener's.
            port: hostPort,
            hasBody: Self.expectsBody(requestHead),
            contentType: requestHead.headers.first(name: "Content-Type"),
            userAgent: requestHead.headers.first(name: "User-Agent")
        ) {
        case .transportDenied:
            guard !target.climbs else { return replyBadRequest() }
            // Synapse's API.canProcess marks the message, and WSO2's main sequence answers 403 for it.
            context[property: SynapseProperty.restURLPostfix, scope: .axis2] = .string(String(target.pathAndQuery))
            context[property: SynapseProperty.transportDenied] = "true"
            context[property: SynapseProperty.inTransport] = .string(connection.transport.rawValue)
            guard let main = snapshot.program.sequence(named: "main") else {
                replyTransportDenied()
                return
            }
            startSequence(main)
        case .noAPI:
            // `..` led out of whatever API the raw path named.
            guard !target.climbs else { return replyBadRequest() }
            // WSO2 4.x's gateway serves the backend JWT's key at /jwks; only requests no API takes get here.
            if let keySet = runtime.backendJWKS, requestHead.method == .GET, target.path == "/jwks" {
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/json")
                state.finish()?.abandon()
                connection.respond(status: .ok, headers: headers, body: ByteBuffer(string: keySet))
                return
            }
            context[property: SynapseProperty.restURLPostfix, scope: .axis2] = .string(String(target.pathAndQuery))
            guard let main = snapshot.program.sequence(named: "main") else {
                replyNotFound()
                return
            }
            startSequence(main)
        case .noMatchingResource(let apiIndex, let apiContext):
            guard target.stays(within: apiContext) else { return replyBadRequest() }
            replyDispatchFailure(.noMatchingResource, apiIndex: apiIndex, apiContext: apiContext)
        case .methodNotAllowed(let apiIndex, let apiContext, let allowed):
            guard target.stays(within: apiContext) else { return replyBadRequest() }
            replyDispatchFailure(.methodNotAllowed(allowed: allowed), apiIndex: apiIndex, apiContext: apiContext)
        case .badRequest(let apiIndex, let apiContext):
            guard target.stays(within: apiContext) else { return replyBadRequest() }
            replyDispatchFailure(.badRequest, apiIndex: apiIndex, apiContext: apiContext)
        case .matched(let match):
            guard target.stays(within: match.context) else { return replyBadRequest() }
            preflightOnly = match.isPreflightOnly
            let api = snapshot.apis[match.apiIndex]
            let resource = api.compiled.resources[match.resourceIndex]
            self.resource = resource
            context.dispatchedResource = api.dispatched[match.resourceIndex]
            context.clientAddress = runtime.trustedProxies.clientAddress(
                peer: connection.remoteAddress,
                headers: requestHead.headers
            )
            if connection.transport == .https { context.clientCertificate = connection.clientCertificate }
            bindRequestProperties(match, api: api.compiled.definition)
            if let trace, let dispatched = context.dispatchedResource {
                trace.routed(to: dispatched, route: match.context + dispatched.resourceTemplate, clientAddress: context.clientAddress)
            }
            handlerExecution = api.compiled.handlers.makeExecution()
            handlersReadResponseBody = api.compiled.handlers.readsResponseBody
            if resource.inSequenceReadsBody || api.compiled.handlers.readsRequestBody {
                let length = requestHead.headers.first(name: "Content-Length").flatMap(Int.init)
                switch state.bufferRequestBody(contentLength: length) {
                case .runRequestHandlers: break
                case .waitForBody: return
                case .rejectTooLarge:
                    respondTooLarge()
                    return
                }
            }
            runRequestHandlers()
        }
    }

    func bindRequestProperties(_ match: RouteMatch, api: SynapseAPI) {
        context.bindDispatch(apiName: api.name, apiContext: match.context, orderedURIVariables: match.uriVariables)
    }

    // MARK: - Request body from the client

    func requestBodyPart(_ part: ByteBuffer) {
        switch state.requestBodyPart(part) {
        case .none:
            break
        case .pauseClientReads:
            connection.pauseRequestReads()
        case .write(let part, let upstream):
            upstream.writeBodyPart(part)
            if !upstream.isWritable { connection.pauseRequestReads() }
        case .rejectTooLarge:
            respondTooLarge()
        }
    }

    func requestEnd() {
        switch state.requestEnd() {
        case .none:
            break
        case .runRequestHandlers(let body):
            context.body = body
            runRequestHandlers()
        case .prepare(let leaf, let body):
            context.body = body
            send(to: leaf)
        case .finishRequest(let upstream):
            upstream.finishRequest()
        }
    }

    /// 413 for a body over the buffer limit (the state machine has finished the exchange).
    func respondTooLarge() {
        connection.respond(status: .payloadTooLarge, body: nil, close: true)
    }

    // MARK: - Handlers and sequences

    func runRequestHandlers() {
        guard var execution = handlerExecution else {
            startInSequence()
            return
        }
        let step = trace == nil ? execution.runRequest(&context) : execution.runRequest(&context, observer: trace)
        handlerExecution = execution
        switch step {
        case .completed:
            startInSequence()
        case .respond:
            replyWithMessage()
        case .fault(let fault):
            replyFault(fault, family: Self.family(of: fault))
        case .suspend(let future):
            resume(after: future) { $0.runRequestHandlers() }
        case .runSequence(let sequence, let then):
            flow = .handlerRequest(then)
            startSequence(sequence)
        }
    }

    /// A handler's sequence ended with `step` (finished, respond, drop, or send without an endpoint): go on
    /// with the handler chain, or reply.
    func handlerSequenceEnded(_ step: MediationStep) {
        let isRequest: Bool
        let then: GatewayHandlerSequenceContinuation
        switch flow {
        case .handlerRequest(let continuation): (isRequest, then) = (true, continuation)
        case .handlerResponse(let continuation): (isRequest, then) = (false, continuation)
        case .request, .response, .fault: return
        }
        flow = isRequest ? .request : .response
        var dropped = false
        switch step {
        case .drop: dropped = true
        case .finished where isRequest && then == .proceed:
            handlerExecution?.sequenceFinished()
            runRequestHandlers()
            return
        default: break
        }
        // On the response, the hook's sequence stands in for the hook: the earlier handlers still see the reply.
        if !isRequest && then == .proceed { handlerExecution?.sequenceFinished() }
        if dropped {
            replyWithMessage(status: 202, dropBody: true)
        } else {
            replyWithMessage()
        }
    }

    func resume(after future: EventLoopFuture<Void>, _ body: @escaping (ProxyExchange) -> Void) {
        future.hop(to: connection.eventLoop).assumeIsolated().whenComplete { [self] _ in
            guard !state.isFinished else { return }
            body(self)
        }
    }

    func startInSequence() {
        if preflightOnly || answersOptionsItself() {
            replyAllowedMethods()
            return
        }
        if let query = context.query, let name = QueryParameters.malformedParameter(in: query[...]) {
            replyMalformedQuery(parameter: name)
            return
        }
        guard let inSequence = resource?.inSequence else {
            replyWithMessage(status: 202)
            return
        }
        startSequence(inSequence)
    }

    func startSequence(_ sequence: CompiledSequence) {
        trace?.sequenceStarted(sequence, flow: flow.traceName)
        execution = SequenceExecution(sequence: sequence, program: snapshot.program)
        drive()
    }

    /// Runs the current sequence until it needs I/O or ends, and acts on the step it returns.
    func drive() {
        guard var execution, !state.isFinished else { return }
        // Taken out while it runs, so its frame stack is uniquely referenced and advances without a copy.
        self.execution = nil
        let result: Result<MediationStep, MediationFault>
        do throws(MediationFault) {
            result = .success(try execution.run(&context))
        } catch {
            result = .failure(error)
        }
        self.execution = execution
        act(on: result)
    }

    /// Acts on the step the sequence stopped at (or the fault it threw).
    func act(on result: Result<MediationStep, MediationFault>) {
        switch result {
        case .failure(let fault):
            handleFault(fault)
        case .success(let step) where flow.isHandlerSequence && step.endsHandlerSequence:
            handlerSequenceEnded(step)
        case .success(.finished):
            switch flow {
            case .request where scatter != nil: scatter?.parentEnded()
            case .request: replyWithMessage(status: 202, dropBody: true)
            case .response, .handlerRequest, .handlerResponse: replyWithMessage()
            case .fault: replyWithFaultMessage()
            }
        case .success(.respond):
            flow == .fault ? replyWithFaultMessage() : replyWithMessage()
        case .success(.drop):
            replyWithMessage(status: 202, dropBody: true)
        case .success(.loopback):
            flow = .response
            context.isResponse = true
            if context.statusCode == nil { context.statusCode = 200 }
            runOutFlow(named: nil)
        case .success(.send(nil, _)):
            flow == .fault ? replyWithFaultMessage() : replyWithMessage()
        case .success(.send(let endpoint?, let receive)):
            forward(to: endpoint, purpose: .send(receive: receive))
        case .success(.call(let endpoint)):
            forward(to: endpoint, purpose: .call)
        case .success(.runScript(let invocation)):
            runScript(invocation)
        case .success(.queryDatabase(let call)):
            queryDatabase(call)
        case .success(.split(let split)):
            let scatter = self.scatter ?? ScatterGather(exchange: self)
            self.scatter = scatter
            guard scatter.start(split, from: nil) else { return }
            if split.continueParent { drive() } else { scatter.parentEnded() }
        case .success(.aggregate(let contribution)):
            guard let execution else { return }
            let scatter = self.scatter ?? ScatterGather(exchange: self)
            self.scatter = scatter
            let branch = MessageBranch(context: context, execution: execution)
            guard let merged = scatter.aggregate(contribution, branch, from: nil) else { return scatter.parentEnded() }
            context = merged.context
            self.execution = merged.execution
            drive()
        }
    }

    func runOutFlow(named receive: String?) {
        flow = .response
        let sequence = receive.flatMap { snapshot.program.sequence(named: $0) } ?? resource?.outSequence
        guard let sequence else {
            replyWithMessage()
            return
        }
        startSequence(sequence)
    }

    // MARK: - Faults

    func handleFault(_ fault: MediationFault) {
        guard !state.isFinished else { return }
        runtime.logger.log(
            level: fault.logLevel,
            "Request fault",
            metadata: [
                "sluice.fault.code": .stringConvertible(fault.code),
                "sluice.fault.message": .string(fault.message),
                "sluice.fault.detail": .string(fault.detail ?? ""),
                "sluice.request.path": .string(context.requestPath),
            ]
        )
        switch state.fault() {
        case .none:
            return
        case .abortReply(let upstream):
            // The reply already started, so the client cannot get a fault: cut the connection so it sees the failure.
            upstream?.abandon()
            connection.abort()
            return
        case .handle(let upstream):
            upstream?.abandon()
        }
        context.recordFault(fault)
        // A response hook's sequence failed: the fault reply continues with the handlers before that hook.
        if case .handlerResponse(.proceed) = flow { handlerExecution?.sequenceFinished() }
        guard flow != .fault else {
            replyFault(fault, family: Self.family(of: fault))
            return
        }
        let fallback = resource?.faultSequence ?? snapshot.program.faultSequence
        let handler = execution?.faultSequence(default: fallback) ?? fallback
        flow = .fault
        pendingFault = fault
        startSequence(handler)
    }

    /// The fault sequence ended: answer with what it built, or with the default fault body.
    func replyWithFaultMessage() {
        switch context.body {
        case .buffered:
            replyWithMessage(status: context.statusCode ?? 500)
        case .streaming, .empty:
            replyFault(pendingFault ?? .mediatorFailed("fault", "unknown"), family: .runtime)
        }
    }

    static func family(of fault: MediationFault) -> FaultPayload.Family {
        switch fault.code {
        case 900800..<900900: .throttling
        case 900900..<901000: .authentication
        default: .runtime
        }
    }

    // MARK: - Client side events

    func clientWritabilityChanged(isWritable: Bool) {
        guard let upstream = state.backend.connection else { return }
        if isWritable { upstream.resumeReading() } else { upstream.pauseReading() }
    }

    func clientClosed() {
        state.clientClosed()?.abandon()
    }
}

@available(*, unavailable)
extension ProxyExchange: Sendable {}

extension ProxyExchange.Flow {
    /// True while a sequence a handler asked for runs.
    var isHandlerSequence: Bool {
        switch self {
        case .handlerRequest, .handlerResponse: true
        case .request, .response, .fault: false
        }
    }

    /// The flow's name in a sequence span.
    var traceName: String {
        switch self {
        case .request: "inSequence"
        case .response: "outSequence"
        case .fault: "faultSequence"
        case .handlerRequest, .handlerResponse: "handler"
        }
    }
}

extension MediationStep {
    /// True for the steps that end a handler's sequence without I/O: finished, respond, drop, send to the client.
    var endsHandlerSequence: Bool {
        switch self {
        case .finished, .respond, .drop, .send(nil, _): true
        case .loopback, .send(.some, _), .call, .runScript, .queryDatabase, .split, .aggregate: false
        }
    }
}
