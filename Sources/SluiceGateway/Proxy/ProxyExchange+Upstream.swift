import NIOCore
import NIOHTTP1
import SluiceMediation

// The backend half of an exchange: endpoint selection, connection, request body, and the response events.
extension ProxyExchange: UpstreamResponseDelegate {
    // MARK: - Backend

    func forward(to endpoint: ResolvedEndpoint) {
        if isCall, case .streaming = context.body {
            // The message after a call is the call's response, so a streamed request body cannot follow it.
            context.body = .empty
            pendingRequestParts.removeAll()
        }
        receivedResponseHead = false
        upstreamStreamsBody = false
        upstreamResponseComplete = false
        retryState = nil
        attempt = endpoint.makeAttempt()
        tryNextLeaf()
    }

    func tryNextLeaf() {
        guard var attempt else { return }
        guard let leaf = attempt.next(now: runtime.now()) else {
            let fault = attempt.exhaustionFault
            self.attempt = attempt
            handleFault(fault)
            return
        }
        self.attempt = attempt
        send(to: leaf)
    }

    /// Sends the message to `leaf`, first reading and converting the body when the endpoint's `format` asks for
    /// another XML shape than the client sent.
    func send(to leaf: EndpointLeaf) {
        if MessageFormatConverter.needsConversion(context.headers, to: leaf.format) {
            if case .streaming = context.body {
                guard requestComplete else {
                    leafAwaitingBody = leaf
                    connection.resumeRequestReads()
                    return
                }
                context.body = takePendingRequestBody()
            }
            if case .buffered(let body) = context.body,
                let converted = MessageFormatConverter.convert(body, headers: &context.headers, to: leaf.format)
            {
                context.body = .buffered(converted)
            }
        }
        let urlText = leaf.url(for: context)
        guard let url = UpstreamURL(urlText), url.scheme == "http" else {
            let reason = urlText.hasPrefix("https") ? "https endpoints are not supported" : "invalid URL \(urlText)"
            report(.connectionFailed(reason), leaf: leaf, mayRetry: false)
            return
        }
        guard let pool = runtime.pools.pool(for: connection.eventLoop) else {
            report(.connectionFailed("no connection pool on this event loop"), leaf: leaf, mayRetry: false)
            return
        }
        sendingLeaf = leaf
        let head = UpstreamRequestBuilder.head(
            for: context,
            request: requestHead,
            method: leaf.method(for: context),
            format: leaf.format,
            url: url,
            clientAddress: connection.remoteAddress
        )
        let key = UpstreamKey(host: url.host, port: url.port)
        acquire(pool: pool, key: key, head: head, leaf: leaf, isRetry: false)
    }

    func acquire(
        pool: UpstreamConnectionPool,
        key: UpstreamKey,
        head: HTTPRequestHead,
        leaf: EndpointLeaf,
        isRetry: Bool
    ) {
        // A pooled connection is taken synchronously; only a new connection needs the callback.
        if let upstream = pool.takeIdle(key) {
            use(upstream, pool: pool, key: key, head: head, leaf: leaf, isRetry: isRetry)
            return
        }
        pool.acquire(key) { [self] result in
            guard !finished else {
                if case .success(let connection) = result { pool.release(connection) }
                return
            }
            switch result {
            case .failure(let error):
                report(error, leaf: leaf, mayRetry: true)
            case .success(let upstream):
                use(upstream, pool: pool, key: key, head: head, leaf: leaf, isRetry: isRetry)
            }
        }
    }

    private func use(
        _ upstream: UpstreamConnection,
        pool: UpstreamConnectionPool,
        key: UpstreamKey,
        head: HTTPRequestHead,
        leaf: EndpointLeaf,
        isRetry: Bool
    ) {
        self.upstream = upstream
        self.reusedConnection = upstream.completedExchanges > 0
        self.retryState = (pool, key, head, leaf, isRetry)
        send(head: head, leaf: leaf, over: upstream)
    }

    func send(head: HTTPRequestHead, leaf: EndpointLeaf, over upstream: UpstreamConnection) {
        let timeout = leaf.timeout ?? runtime.defaultEndpointTimeout
        switch context.body {
        case .buffered(let body) where head.method != .GET && head.method != .HEAD:
            upstream.startRequest(head, hasBody: true, timeout: timeout, delegate: self)
            upstream.writeBodyPart(body)
            upstream.finishRequest()
        case .streaming:
            upstream.startRequest(head, hasBody: true, timeout: timeout, delegate: self)
            for part in pendingRequestParts {
                streamedRequestBytes += part.readableBytes
                upstream.writeBodyPart(part)
            }
            pendingRequestParts.removeAll()
            pendingRequestBytes = 0
            connection.resumeRequestReads()
            if requestComplete {
                upstream.finishRequest()
            } else {
                requestStreamTarget = upstream
            }
        default:
            upstream.startRequest(head, hasBody: false, timeout: timeout, delegate: self)
        }
    }

    /// Records a failed try of a leaf and moves on to the next member, or raises the fault.
    func report(_ error: UpstreamError, leaf: EndpointLeaf, mayRetry: Bool) {
        upstream = nil
        requestStreamTarget = nil
        sendingLeaf = nil
        attempt?.report(.failure(errorCode: error.synapseErrorCode), now: runtime.now())
        let replayable: Bool =
            switch context.body {
            case .streaming: streamedRequestBytes == 0
            case .buffered, .empty: true
            }
        if mayRetry && replayable && !receivedResponseHead {
            tryNextLeaf()
        } else {
            handleFault(error.mediationFault)
        }
    }

    // MARK: - UpstreamResponseDelegate

    func upstream(_ connection: UpstreamConnection, didReceiveHead head: HTTPResponseHead) {
        guard !finished else { return }
        inUpstreamRead = true
        receivedResponseHead = true
        if sendingLeaf != nil { attempt?.report(.success, now: runtime.now()) }
        sendingLeaf = nil
        var headers = head.headers
        HopByHopHeaders.remove(from: &headers)
        if isCall {
            bufferingResponse = true
            pendingResponseHead = (Int(head.status.code), headers)
            return
        }
        let outSequence = receiveSequence.flatMap { snapshot.program.sequence(named: $0) } ?? resource?.outSequence
        if outSequence?.readsBody ?? false || handlersReadResponseBody {
            bufferingResponse = true
            pendingResponseHead = (Int(head.status.code), headers)
            return
        }
        upstreamStreamsBody = true
        context.receiveResponse(status: Int(head.status.code), headers: headers, body: .streaming)
        runOutFlow(named: receiveSequence)
    }

    func upstream(_ connection: UpstreamConnection, didReceiveBodyPart part: ByteBuffer) {
        guard !finished else { return }
        if bufferingResponse {
            var part = part
            if responseBuffer == nil { responseBuffer = part } else { responseBuffer!.writeBuffer(&part) }
            if responseBuffer!.readableBytes > runtime.maxBufferedBodyBytes {
                connection.abandon()
                upstream = nil
                handleFault(
                    MediationFault(
                        code: SynapseErrorCode.receivingFailed,
                        message: "The back end response is larger than the gateway buffers (maxBufferedBodyBytes)"
                    )
                )
            }
            return
        }
        guard upstreamBodyForClient else {
            // Between the response head and the reply head (a handler suspended): keep the bytes in order.
            pendingResponseParts.append(part)
            connection.pauseReading()
            return
        }
        // Flushed once per socket read (upstreamReadComplete), not once per part.
        self.connection.writeResponseBodyPart(part, flush: false)
        if !self.connection.isWritable { connection.pauseReading() }
    }

    func upstreamReadComplete(_ connection: UpstreamConnection) {
        inUpstreamRead = false
        if upstreamBodyForClient && !finished { self.connection.flush() }
    }

    func upstreamDidFinishResponse(_ connection: UpstreamConnection) {
        upstream = nil
        upstreamResponseComplete = true
        guard !finished else { return }
        if bufferingResponse, let (status, headers) = pendingResponseHead {
            bufferingResponse = false
            pendingResponseHead = nil
            let body = responseBuffer.map { MessageBody.buffered($0) } ?? .empty
            responseBuffer = nil
            context.receiveResponse(status: status, headers: headers, body: body)
            if isCall {
                isCall = false
                drive()
            } else {
                runOutFlow(named: receiveSequence)
            }
            return
        }
        if upstreamBodyForClient {
            finish()
            self.connection.finishResponse()
        }
    }

    func upstream(_ connection: UpstreamConnection, didFail error: UpstreamError) {
        guard !finished else { return }
        upstream = nil
        requestStreamTarget = nil
        if upstreamBodyForClient || replyStarted {
            abortReply()
            return
        }
        if let (pool, key, head, leaf, isRetry) = retryState, reusedConnection, !receivedResponseHead, !isRetry,
            error == .connectionClosed, streamedRequestBytes == 0
        {
            // A pooled connection the backend had already closed: one fresh try, not counted against the endpoint.
            acquire(pool: pool, key: key, head: head, leaf: leaf, isRetry: true)
            return
        }
        guard let leaf = sendingLeaf ?? retryState?.3 else {
            handleFault(error.mediationFault)
            return
        }
        report(error, leaf: leaf, mayRetry: !receivedResponseHead)
    }

    func upstreamWritabilityChanged(_ connection: UpstreamConnection) {
        if connection.isWritable { self.connection.resumeRequestReads() } else { self.connection.pauseRequestReads() }
    }
}
