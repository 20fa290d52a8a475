import Logging
import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel

/// One client request through the gateway: routing, handler chain, in sequence, endpoint, out sequence, fault
/// handling and the reply, driven on the connection's event loop without a thread hop.
///
/// Bodies stream between client and backend unless the sequence that runs next reads them; then they are
/// buffered up to `maxBufferedBodyBytes`.
final class ProxyExchange: GatewayExchange {
    enum Flow: Equatable {
        case request
        case response
        case fault
        /// A sequence a request hook asked for (`HandlerDecision.runSequence`).
        case handlerRequest(HandlerSequenceContinuation)
        /// A sequence a response hook asked for.
        case handlerResponse(HandlerSequenceContinuation)
    }

    let connection: GatewayConnectionHandler
    let runtime: GatewayRuntime
    let snapshot: DeploymentSnapshot
    let requestHead: HTTPRequestHead
    /// The request URI split once (routing and the context both need it).
    let requestTarget: RequestTarget
    var context: MessageContext
    var resource: CompiledResource?
    var handlerExecution: HandlerChainExecution?
    /// True when a handler of the API runs a sequence that reads the response body.
    var handlersReadResponseBody = false
    /// An OPTIONS request for a resource that does not list OPTIONS: only a handler (CORS) may answer it.
    var preflightOnly = false
    var flow = Flow.request
    var execution: SequenceExecution?

    // Request body.
    var bufferingRequest = false
    var requestBuffer: ByteBuffer?
    var pendingRequestParts: [ByteBuffer] = []
    var pendingRequestBytes = 0
    var requestComplete = false
    var waitingForRequestBody = false
    var streamedRequestBytes = 0

    // Backend exchange.
    var upstream: UpstreamConnection?
    var attempt: EndpointAttempt?
    var sendingLeaf: EndpointLeaf?
    /// The connection the client's request body streams to, once its head went out.
    var requestStreamTarget: UpstreamConnection?
    /// The endpoint waiting for the whole request body (its `format` converts it).
    var leafAwaitingBody: EndpointLeaf?
    var receiveSequence: String?
    var isCall = false
    var upstreamStreamsBody = false
    var upstreamBodyForClient = false
    var bufferingResponse = false
    var responseBuffer: ByteBuffer?
    var upstreamResponseComplete = false
    var receivedResponseHead = false
    /// True when the pooled connection had served earlier exchanges (it may have gone stale meanwhile).
    var reusedConnection = false
    /// What a fresh-connection retry needs: pool, backend, request head, leaf, and whether this is the retry.
    var retryState: (UpstreamConnectionPool, UpstreamKey, HTTPRequestHead, EndpointLeaf, Bool)?
    /// Status and headers of a backend response whose body is being buffered.
    var pendingResponseHead: (Int, HTTPHeaders)?
    /// True between a backend read delivering bytes and its read-complete.
    var inUpstreamRead = false
    /// Response bytes that arrived before the reply head went out.
    var pendingResponseParts: [ByteBuffer] = []

    // Faults and the client reply.
    var pendingFault: MediationFault?
    var replyStarted = false
    var finished = false

    init(head: HTTPRequestHead, connection: GatewayConnectionHandler, runtime: GatewayRuntime) {
        self.requestHead = head
        self.connection = connection
        self.runtime = runtime
        self.snapshot = runtime.snapshots.current
        let target = RequestTarget(uri: head.uri)
        self.requestTarget = target
        self.context = MessageContext(
            method: head.method.rawValue,
            requestPath: String(target.path),
            query: target.query.map(String.init),
            headers: head.headers,
            body: Self.expectsBody(head) ? .streaming : .empty,
            logger: runtime.logger
        )
    }

    static func expectsBody(_ head: HTTPRequestHead) -> Bool {
        if let length = head.headers.first(name: "Content-Length") { return length != "0" }
        return HopByHopHeaders.isChunked(head.headers)
    }

    // MARK: - Start

    func start() {
        let target = requestTarget
        let hostHeader = requestHead.headers.first(name: "Host")
        let (host, hostPort) = UpstreamRequestBuilder.splitHost(hostHeader)
        switch snapshot.router.route(
            method: requestHead.method.rawValue,
            target: target,
            host: host,
            port: hostPort ?? connection.localPort,
            contentType: requestHead.headers.first(name: "Content-Type"),
            userAgent: requestHead.headers.first(name: "User-Agent")
        ) {
        case .noAPI:
            context[property: SynapseProperty.restURLPostfix, scope: .axis2] = .string(requestHead.uri)
            guard let main = snapshot.program.sequence(named: "main") else {
                replyNotFound()
                return
            }
            startSequence(main)
        case .noMatchingResource(let apiIndex, let apiContext):
            let version = snapshot.apis[apiIndex].compiled.definition.version ?? ""
            replyNoMatchingResource(context: apiContext, version: version)
        case .matched(let match):
            preflightOnly = match.isPreflightOnly
            let api = snapshot.apis[match.apiIndex]
            let resource = api.compiled.resources[match.resourceIndex]
            self.resource = resource
            context.dispatchedResource = api.dispatched[match.resourceIndex]
            context.clientAddress = connection.remoteAddress
            bindRequestProperties(match, api: api.compiled.definition)
            handlerExecution = api.compiled.handlers.makeExecution()
            handlersReadResponseBody = api.compiled.handlers.readsResponseBody
            bufferingRequest = resource.inSequenceReadsBody || api.compiled.handlers.readsRequestBody
            if bufferingRequest, case .streaming = context.body {
                if let length = requestHead.headers.first(name: "Content-Length").flatMap(Int.init),
                    length > runtime.maxBufferedBodyBytes
                {
                    rejectTooLarge()
                    return
                }
                waitingForRequestBody = true
                return
            }
            runRequestHandlers()
        }
    }

    /// WSO2's 900906 (HTTP 403) for a request no resource of the API takes.
    func replyNoMatchingResource(context apiContext: String, version: String) {
        replyFault(
            MediationFault(
                code: 900906,
                message: "No matching resource found in the API for the given request",
                detail: "Access failure for API: \(apiContext), version: \(version)",
                httpStatus: 403
            ),
            family: .authentication
        )
    }

    func bindRequestProperties(_ match: RouteMatch, api: SynapseAPI) {
        context.bindDispatch(apiName: api.name, apiContext: match.context, orderedURIVariables: match.uriVariables)
    }

    // MARK: - Request body from the client

    func requestBodyPart(_ part: ByteBuffer) {
        guard !finished else { return }
        if bufferingRequest {
            var part = part
            if requestBuffer == nil {
                requestBuffer = part
            } else {
                requestBuffer!.writeBuffer(&part)
            }
            if requestBuffer!.readableBytes > runtime.maxBufferedBodyBytes { rejectTooLarge() }
            return
        }
        if leafAwaitingBody != nil {
            pendingRequestParts.append(part)
            pendingRequestBytes += part.readableBytes
            if pendingRequestBytes > runtime.maxBufferedBodyBytes { rejectTooLarge() }
        } else if let upstream = requestStreamTarget, pendingRequestParts.isEmpty {
            streamedRequestBytes += part.readableBytes
            upstream.writeBodyPart(part)
            if !upstream.isWritable { connection.pauseRequestReads() }
        } else {
            pendingRequestParts.append(part)
            pendingRequestBytes += part.readableBytes
            // Until the backend connection is up, hold at most a little in memory.
            if pendingRequestBytes > 256 * 1024 { connection.pauseRequestReads() }
        }
    }

    func requestEnd() {
        requestComplete = true
        guard !finished else { return }
        if waitingForRequestBody {
            waitingForRequestBody = false
            context.body = requestBuffer.map { .buffered($0) } ?? .empty
            requestBuffer = nil
            runRequestHandlers()
            return
        }
        if let leaf = leafAwaitingBody {
            leafAwaitingBody = nil
            context.body = takePendingRequestBody()
            send(to: leaf)
        } else if let upstream = requestStreamTarget, pendingRequestParts.isEmpty {
            requestStreamTarget = nil
            upstream.finishRequest()
        }
    }

    /// The request body parts held so far, joined into one buffered body.
    func takePendingRequestBody() -> MessageBody {
        guard var body = pendingRequestParts.first else { return .empty }
        for var part in pendingRequestParts.dropFirst() { body.writeBuffer(&part) }
        pendingRequestParts.removeAll()
        pendingRequestBytes = 0
        return .buffered(body)
    }

    func rejectTooLarge() {
        finish()
        connection.respond(status: .payloadTooLarge, body: nil, close: true)
    }

    // MARK: - Handlers and sequences

    func runRequestHandlers() {
        guard var execution = handlerExecution else {
            startInSequence()
            return
        }
        let step = execution.runRequest(&context)
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
        let then: HandlerSequenceContinuation
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
            guard !finished else { return }
            body(self)
        }
    }

    func startInSequence() {
        if preflightOnly, let dispatched = context.dispatchedResource {
            // No handler answered the OPTIONS request, and the resource does not take OPTIONS.
            replyNoMatchingResource(context: dispatched.context, version: dispatched.version)
            return
        }
        guard let inSequence = resource?.inSequence else {
            replyWithMessage(status: 202)
            return
        }
        startSequence(inSequence)
    }

    func startSequence(_ sequence: CompiledSequence) {
        execution = SequenceExecution(sequence: sequence, program: snapshot.program)
        drive()
    }

    /// Runs the current sequence until it needs I/O or ends, and acts on the step it returns.
    func drive() {
        guard var execution, !finished else { return }
        // Taken out while it runs, so its frame stack is uniquely referenced and advances without a copy.
        self.execution = nil
        let result: Result<MediationStep, MediationFault>
        do throws(MediationFault) {
            result = .success(try execution.run(&context))
        } catch {
            result = .failure(error)
        }
        self.execution = execution
        switch result {
        case .failure(let fault):
            handleFault(fault)
        case .success(let step) where flow.isHandlerSequence && step.endsHandlerSequence:
            handlerSequenceEnded(step)
        case .success(.finished):
            switch flow {
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
            isCall = false
            receiveSequence = receive
            forward(to: endpoint)
        case .success(.call(let endpoint)):
            isCall = true
            forward(to: endpoint)
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
        guard !finished else { return }
        runtime.logger.debug(
            "Request fault",
            metadata: [
                "sluice.fault.code": .stringConvertible(fault.code),
                "sluice.fault.message": .string(fault.message),
                "sluice.request.path": .string(context.requestPath),
            ]
        )
        if replyStarted {
            abortReply()
            return
        }
        releaseUpstream()
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
        guard let upstream else { return }
        if isWritable { upstream.resumeReading() } else { upstream.pauseReading() }
    }

    func clientClosed() {
        guard !finished else { return }
        finish()
        releaseUpstream()
    }

    // MARK: - Replies

    /// Replies with the current message: response hooks first, then head and body.
    func replyWithMessage(status: Int? = nil, dropBody: Bool = false) {
        if let status { context.statusCode = status }
        if dropBody {
            context.body = .empty
            releaseUpstream()
        }
        guard var execution = handlerExecution else {
            writeReply()
            return
        }
        let step = execution.runResponse(&context)
        handlerExecution = execution
        switch step {
        case .completed, .respond:
            writeReply()
        case .fault(let fault):
            handlerExecution = nil
            replyFault(fault, family: Self.family(of: fault))
        case .suspend(let future):
            resume(after: future) { $0.replyWithMessage() }
        case .runSequence(let sequence, let then):
            flow = .handlerResponse(then)
            startSequence(sequence)
        }
    }

    func writeReply() {
        guard !finished, !replyStarted else { return }
        replyStarted = true
        var headers = context.headers
        if !context.isResponse {
            // Replying to the client with the request message: its request-only headers do not belong.
            headers = HTTPHeaders(headers.filter { ["content-type", "soapaction"].contains($0.name.lowercased()) })
        }
        HopByHopHeaders.remove(from: &headers)
        let status = HTTPResponseStatus(statusCode: context.statusCode ?? 200)
        switch context.body {
        case .buffered(let body):
            headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
            connection.writeResponseHead(HTTPResponseHead(version: requestHead.version, status: status, headers: headers))
            connection.writeResponseBodyPart(body, flush: false)
            finish()
            connection.finishResponse()
        case .streaming where upstreamStreamsBody:
            connection.writeResponseHead(HTTPResponseHead(version: requestHead.version, status: status, headers: headers))
            upstreamBodyForClient = true
            for part in pendingResponseParts { connection.writeResponseBodyPart(part, flush: false) }
            pendingResponseParts.removeAll()
            if upstreamResponseComplete {
                finish()
                connection.finishResponse()
            } else {
                // Inside a backend read the flush comes with its read-complete; otherwise the head goes out now,
                // so a slow body does not hold back status and headers.
                if !inUpstreamRead { connection.flush() }
                upstream?.resumeReading()
            }
        case .streaming, .empty:
            releaseUpstream()
            headers.replaceOrAdd(name: "Content-Length", value: "0")
            connection.writeResponseHead(HTTPResponseHead(version: requestHead.version, status: status, headers: headers))
            finish()
            connection.finishResponse()
        }
    }

    /// Answers a fault in WSO2's format, choosing XML, JSON or SOAP from the request.
    func replyFault(_ fault: MediationFault, family: FaultPayload.Family) {
        releaseUpstream()
        let response = FaultPayload.response(
            for: fault,
            family: family,
            context: context,
            requestHeaders: requestHead.headers
        )
        context.statusCode = response.status
        context.headers = response.headers
        context.body = .buffered(response.body)
        context.isResponse = true
        replyWithMessage()
    }

    func replyNotFound() {
        let format = FaultPayload.Format(requestHeaders: requestHead.headers)
        let fields = FaultPayload.Fields(
            code: 404,
            type: "Status report",
            message: "Not Found",
            description: "The requested resource (\(RequestTarget(uri: requestHead.uri).path)) is not available."
        )
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: format.contentType)
        let body = FaultPayload.body(fields, family: .runtime, format: format, isClientError: true)
        finish()
        connection.respond(status: .notFound, headers: headers, body: ByteBuffer(string: body))
    }

    /// The reply already started, so the client cannot get a fault: cut the connection so it sees the failure.
    func abortReply() {
        finish()
        releaseUpstream()
        connection.abort()
    }

    func finish() {
        finished = true
        // A request body still streaming to the backend will get no more bytes: close that connection.
        if let target = requestStreamTarget {
            requestStreamTarget = nil
            target.abandon()
        }
    }

    func releaseUpstream() {
        requestStreamTarget = nil
        if let upstream {
            self.upstream = nil
            upstream.abandon()
        }
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
}

extension MediationStep {
    /// True for the steps that end a handler's sequence without I/O: finished, respond, drop, send to the client.
    var endsHandlerSequence: Bool {
        switch self {
        case .finished, .respond, .drop, .send(nil, _): true
        case .loopback, .send(.some, _), .call: false
        }
    }
}
