import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel

// The backend half of an exchange: endpoint selection, the request, and the response events, each handed to the
// state machine and its action carried out.
extension ProxyExchange: UpstreamResponseDelegate {
    // MARK: - Backend

    func forward(to endpoint: ResolvedEndpoint, purpose: BackendPurpose) {
        var dropsRequestBody = false
        if purpose == .call, case .streaming = context.body {
            // The message after a call is the call's response, so a streamed request body cannot follow it.
            context.body = .empty
            dropsRequestBody = true
        }
        // A response still streaming from an earlier backend exchange is not needed any more.
        state.releaseConnection()?.abandon()
        carryOut(state.forward(to: endpoint, purpose: purpose, dropsRequestBody: dropsRequestBody, now: runtime.now()))
    }

    func carryOut(_ action: ProxyExchangeStateMachine<UpstreamConnection>.LeafAction) {
        switch action {
        case .none: break
        case .prepare(let leaf): send(to: leaf)
        case .fault(let fault): handleFault(fault)
        }
    }

    /// Sends the message to `leaf`, first reading the body when the endpoint's `format` rewrites it.
    func send(to leaf: EndpointLeaf) {
        // WS-Addressing headers go inside the envelope, so an endpoint that adds them reads the body too.
        // An OAuth endpoint may have to send the request again with a fresh token, so it needs the body whole too.
        if leaf.addressing != nil || leaf.oauth != nil || context.needsWholeBody(for: leaf.format),
            case .streaming = context.body
        {
            switch state.awaitWholeBody(for: leaf) {
            case .waitForBody:
                connection.resumeRequestReads()
                return
            case .available(let body):
                context.body = body
            case .fault(let fault):
                handleFault(fault)
                return
            }
        }
        if let oauth = leaf.oauth { return authorize(oauth, then: leaf) }
        sendAuthorized(to: leaf)
    }

    /// Sends the message to `leaf`, its credentials already on it.
    func sendAuthorized(to leaf: EndpointLeaf) {
        var request: BackendRequest
        switch BackendRequest.prepare(
            for: leaf,
            context: &context,
            clientRequest: requestHead,
            clientAddress: connection.remoteAddress,
            defaultTimeout: runtime.defaultEndpointTimeout
        ) {
        case .success(let prepared):
            request = prepared
            context.backendEndpoint = leaf.analyticsLabel
        case .failure(.fault(let fault)):
            handleFault(fault)
            return
        case .failure(.unusable(let error)):
            carryOut(state.prepareFailed(error, now: runtime.now()))
            return
        }
        guard let pool else {
            carryOut(state.prepareFailed(.connectionFailed("no connection pool on this event loop"), now: runtime.now()))
            return
        }
        if let trace {
            trace.backendStarting(
                head: &request.head,
                server: (request.key.host, request.key.port, request.key.isTLS),
                endpoint: leaf.analyticsLabel,
                isCall: state.purpose == .call
            )
        }
        acquireConnection(for: request, from: pool)
    }

    /// Hands the request to the state machine and gets it a connection.
    func acquireConnection(for request: BackendRequest, from pool: UpstreamConnectionPool) {
        switch state.connect(request) {
        case .fault(let fault):
            handleFault(fault)
        case .acquire:
            // A pooled connection is taken synchronously; only a new connection needs the callback.
            if let upstream = pool.takeIdle(request.key) {
                connected(upstream)
            } else {
                pool.connect(request.key) { [self] in connectionResult($0) }
            }
        }
    }

    /// `url` with `parameters` appended to its query (`format="get"`).
    static func appending(_ parameters: [(name: String, value: String)], to url: String) -> String {
        guard !parameters.isEmpty else { return url }
        let query = parameters.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }
        return url + (url.contains("?") ? "&" : "?") + query.joined(separator: "&")
    }

    /// The pool of this connection's event loop.
    var pool: UpstreamConnectionPool? { runtime.pools.pool(for: connection.eventLoop) }

    func connectionResult(_ result: Result<UpstreamConnection, UpstreamError>) {
        switch result {
        case .success(let upstream): connected(upstream)
        case .failure(let error):
            trace?.backendEnded(failure: "\(error)")
            carryOut(state.connectFailed(error, now: runtime.now()))
        }
    }

    func connected(_ upstream: UpstreamConnection) {
        switch state.connectionAcquired(upstream, reused: upstream.completedExchanges > 0) {
        case .release(let upstream):
            pool?.release(upstream)
        case .send(let upstream, let request, let body, let watchEnd):
            // A body already whole goes out with its head in one write (one system call less per request).
            let bodyIsWhole = if case .whole = body { true } else { false }
            guard upstream.startRequest(request, watchEnd: watchEnd, flushHead: !bodyIsWhole, delegate: self) else {
                self.upstream(upstream, didFail: .connectionClosed)
                return
            }
            switch body {
            case .none:
                break
            case .whole(let buffer):
                upstream.writeBodyPart(buffer)
                upstream.finishRequest()
            case .parts(let parts, let end):
                for part in parts { upstream.writeBodyPart(part) }
                connection.resumeRequestReads()
                if end { upstream.finishRequest() }
            }
        }
    }

    /// The sequence a `send`'s response goes to (nil: the resource's out sequence).
    var receiveSequence: String? {
        if case .send(let receive) = state.purpose { receive } else { nil }
    }

    // MARK: - UpstreamResponseDelegate

    func upstream(_ connection: UpstreamConnection, didReceiveHead head: HTTPResponseHead) {
        guard !state.isFinished else { return }
        var headers = head.headers
        HopByHopHeaders.remove(from: &headers)
        let status = Int(head.status.code)
        trace?.backendResponded(status: status)
        let outSequence = receiveSequence.flatMap { snapshot.program.sequence(named: $0) } ?? resource?.outSequence
        let bufferBody = outSequence?.readsBody ?? false || handlersReadResponseBody
        switch state.responseHead(status: status, headers: headers, bufferBody: bufferBody, now: runtime.now()) {
        case .none:
            break
        case .bufferBody:
            backendHead = head
        case .streamBody:
            backendHead = head
            context.receiveResponse(status: status, headers: headers, body: .streaming)
            runOutFlow(named: receiveSequence)
        case .renewToken(let request, let refused):
            refused.abandon()
            sendWithRenewedToken(request)
        }
    }

    func upstream(_ connection: UpstreamConnection, didReceiveBodyPart part: ByteBuffer) {
        switch state.responseBodyPart(part) {
        case .none:
            break
        case .hold(let upstream):
            upstream.pauseReading()
        case .write(let part, let upstream):
            // Flushed once per socket read (upstreamReadComplete), not once per part.
            self.connection.writeResponseBodyPart(part, flush: false)
            if !self.connection.isWritable { upstream.pauseReading() }
        case .fault(let fault, let upstream):
            upstream.abandon()
            handleFault(fault)
        }
    }

    func upstreamReadComplete(_ connection: UpstreamConnection) {
        if state.backendReadComplete() { self.connection.flush() }
    }

    func upstreamDidFinishResponse(_ connection: UpstreamConnection) {
        trace?.backendEnded(failure: nil)
        switch state.responseEnd() {
        case .none(let closing):
            closing?.abandon()
        case .deliver(let status, let headers, let body, let afterCall, let closing):
            closing?.abandon()
            context.receiveResponse(status: status, headers: headers, body: body)
            if afterCall { drive() } else { runOutFlow(named: receiveSequence) }
        case .finishReply(let closing):
            closing?.abandon()
            self.connection.finishResponse()
        }
    }

    func upstream(_ connection: UpstreamConnection, didFail error: UpstreamError) {
        trace?.backendEnded(failure: "\(error)")
        switch state.backendFailed(error, now: runtime.now()) {
        case .none:
            break
        case .retry(let request):
            guard let pool else {
                carryOut(state.connectFailed(.connectionFailed("no connection pool on this event loop"), now: runtime.now()))
                return
            }
            pool.connect(request.key) { [self] in connectionResult($0) }
        case .prepare(let leaf):
            send(to: leaf)
        case .fault(let fault):
            handleFault(fault)
        case .abortReply:
            self.connection.abort()
        }
    }

    func upstreamWritabilityChanged(_ connection: UpstreamConnection) {
        if connection.isWritable { self.connection.resumeRequestReads() } else { self.connection.pauseRequestReads() }
    }
}
