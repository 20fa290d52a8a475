import NIOCore
import NIOHTTP1
import SluiceMediation

/// The I/O side of one proxied request, as a pure state machine in async-http-client's style: `ProxyExchange`
/// reports each event (a client body part, a backend connection, a response head, a failure, the reply) and
/// carries out the action returned. There is no I/O and no clock inside; `Connection` is the backend connection
/// type (`UpstreamConnection`; any class in tests).
///
/// Three parts move independently, each an enum:
/// - the client's request body (`RequestBodyState`): buffered for mediation, held until a backend takes it,
///   streamed to the backend, or done with;
/// - the backend exchange (`BackendState`): none, waiting for the whole body, connecting, waiting for the response
///   head, streaming or buffering the response;
/// - the reply to the client (`ReplyState`): not started, streaming from the backend, finished.
///
/// Retries and failover: a pooled connection the backend had already closed gets one retry on a fresh connection
/// (not counted against the endpoint); any other transport failure is reported to the `EndpointAttempt`, which
/// picks the next member of a failover or load-balance group, as long as no byte of a streamed body went out and
/// no response head arrived. The exchange holds at most one backend connection at a time.
struct ProxyExchangeStateMachine<Connection: AnyObject> {
    enum RequestBodyState {
        /// Collected whole because a handler or the in sequence reads it; mediation waits for the end.
        case buffering(ByteBuffer?)
        /// Held in arrival order until a backend connection takes them, or until the whole body is there.
        case holding([ByteBuffer], bytes: Int, ended: Bool)
        /// Written to the backend connection as it arrives; `sentBytes` so far.
        case streaming(sentBytes: Int)
        /// The whole body went to the current backend connection as a stream.
        case streamedWhole(bytes: Int)
        /// Nothing more to do with the client's body: there is none, mediation has it whole, or the message no
        /// longer carries it. Parts that still arrive are dropped.
        case done
        /// Part of the body went to a backend that then failed: it cannot be sent again.
        case lost
    }

    enum BackendState {
        case idle
        /// The endpoint's `format` converts the body, so the request waits for all of it.
        case awaitingWholeBody(EndpointLeaf)
        /// A connection is being made or taken from the pool; `isRetry` for the one fresh try after a stale one.
        case connecting(BackendRequest, isRetry: Bool)
        /// The request went out; the response head has not arrived.
        case awaitingHead(BackendRequest, Connection, reused: Bool, isRetry: Bool)
        /// The head arrived and the body streams on (held until the reply head is out). The connection is nil once
        /// the response is complete (it went back to the pool).
        case streamingResponse(Connection?, held: [ByteBuffer], complete: Bool)
        /// The head arrived and the body is collected for mediation.
        case bufferingResponse(Connection, status: Int, headers: HTTPHeaders, body: ByteBuffer?)
    }

    enum ReplyState: Equatable {
        case notStarted
        /// The reply head is out and the backend's body goes to the client as it arrives.
        case streaming
        /// Replied, aborted, rejected, or the client went away: every further event is ignored.
        case finished
    }

    private(set) var requestBody: RequestBodyState
    private(set) var backend = BackendState.idle
    private(set) var reply = ReplyState.notStarted
    private(set) var purpose = BackendPurpose.send(receive: nil)
    private var attempt: EndpointAttempt?
    /// Whether this forward already sent again with a fresh OAuth token (once only, as WSO2 does).
    private var renewedToken = false
    /// True between a backend read delivering bytes and its read-complete (the flush comes then).
    private var inBackendRead = false
    private let maxBufferedBodyBytes: Int
    /// A streamed body held for a backend that is not there yet pauses the client beyond this.
    static var holdingLimit: Int { 256 * 1024 }

    init(expectsRequestBody: Bool, maxBufferedBodyBytes: Int) {
        self.requestBody = expectsRequestBody ? .holding([], bytes: 0, ended: false) : .done
        self.maxBufferedBodyBytes = maxBufferedBodyBytes
    }

    var isFinished: Bool { reply == .finished }
}

// MARK: - The client's side: its request body, the reply, and the client going away.

extension ProxyExchangeStateMachine {
    // MARK: - Request body

    /// Routing decided that mediation reads the body: collect it first (`contentLength` is the client's
    /// announced length, checked against the buffer limit at once).
    mutating func bufferRequestBody(contentLength: Int?) -> BufferRequestAction {
        guard case .holding([], bytes: 0, ended: false) = requestBody else { return .runRequestHandlers }
        if let contentLength, contentLength > maxBufferedBodyBytes {
            reply = .finished
            requestBody = .done
            return .rejectTooLarge
        }
        requestBody = .buffering(nil)
        return .waitForBody
    }

    mutating func requestBodyPart(_ part: ByteBuffer) -> RequestBodyAction {
        guard reply != .finished else { return .none }
        switch requestBody {
        case .buffering(let buffer):
            requestBody = .done  // so the buffer is uniquely referenced while it grows
            var collected = part
            if var buffer {
                var part = part
                buffer.writeBuffer(&part)
                collected = buffer
            }
            requestBody = .buffering(collected)
            return collected.readableBytes > maxBufferedBodyBytes ? rejectTooLarge() : .none
        case .holding(var parts, let bytes, let ended):
            requestBody = .done  // so the array is uniquely referenced while it grows
            parts.append(part)
            let total = bytes + part.readableBytes
            requestBody = .holding(parts, bytes: total, ended: ended)
            if case .awaitingWholeBody = backend {
                return total > maxBufferedBodyBytes ? rejectTooLarge() : .none
            }
            // Until the backend connection is up, hold at most a little in memory.
            return total > Self.holdingLimit ? .pauseClientReads : .none
        case .streaming(let sent):
            guard let connection = backend.connection else { return .none }
            requestBody = .streaming(sentBytes: sent + part.readableBytes)
            return .write(part, to: connection)
        case .streamedWhole, .done, .lost:
            return .none
        }
    }

    mutating func requestEnd() -> RequestEndAction {
        guard reply != .finished else { return .none }
        switch requestBody {
        case .buffering(let buffer):
            requestBody = .done
            return .runRequestHandlers(buffer.map { .buffered($0) } ?? .empty)
        case .holding(let parts, let bytes, _):
            guard case .awaitingWholeBody(let leaf) = backend else {
                requestBody = .holding(parts, bytes: bytes, ended: true)
                return .none
            }
            backend = .idle
            requestBody = .done
            return .prepare(leaf, body: Self.joined(parts))
        case .streaming(let sent):
            requestBody = .streamedWhole(bytes: sent)
            guard let connection = backend.connection else { return .none }
            return .finishRequest(connection)
        case .streamedWhole, .done, .lost:
            return .none
        }
    }

    private mutating func rejectTooLarge() -> RequestBodyAction {
        reply = .finished
        requestBody = .done
        return .rejectTooLarge
    }

    /// The parts joined into one buffered body.
    static func joined(_ parts: [ByteBuffer]) -> MessageBody {
        guard var body = parts.first else { return .empty }
        for var part in parts.dropFirst() { body.writeBuffer(&part) }
        return .buffered(body)
    }

    // MARK: - Reply

    /// Mediation replies with a message whose body is `body`.
    mutating func startReply(body: MessageBody) -> ReplyAction {
        guard reply == .notStarted else { return .none }
        switch (body, backend) {
        case (.buffered(let buffer), _):
            reply = .finished
            return .writeWhole(buffer, abandon: releaseConnection())
        case (.streaming, .streamingResponse(let connection, let held, let complete)):
            if complete {
                reply = .finished
                backend = .idle
                return .writeStreamed(held: held, complete: true, flush: false, resume: nil)
            }
            reply = .streaming
            backend = .streamingResponse(connection, held: [], complete: false)
            return .writeStreamed(held: held, complete: false, flush: !inBackendRead, resume: connection)
        case (.streaming, _), (.empty, _):
            reply = .finished
            return .writeEmpty(abandon: releaseConnection())
        }
    }

    /// The exchange answered by itself (not found, too large): nothing else goes out.
    mutating func finish() -> Connection? {
        reply = .finished
        return releaseConnection()
    }

    /// A fault was raised: cut the reply if it started, else drop the backend and run the fault flow.
    mutating func fault() -> FaultAction {
        switch reply {
        case .finished:
            return .none
        case .streaming:
            reply = .finished
            return .abortReply(abandon: releaseConnection())
        case .notStarted:
            return .handle(abandon: releaseConnection())
        }
    }

    mutating func clientClosed() -> Connection? {
        guard reply != .finished else { return nil }
        return finish()
    }

    /// Forgets the backend connection (the caller abandons it) and what streams to it.
    mutating func releaseConnection() -> Connection? {
        let connection = backend.connection
        backend = .idle
        requestBodyLostItsBackend()
        return connection
    }

    /// The connection the body streamed to is gone: a body none of which went out can be sent again (from
    /// the start), one that partly went out cannot.
    mutating func requestBodyLostItsBackend() {
        switch requestBody {
        case .streaming(0): requestBody = .holding([], bytes: 0, ended: false)
        case .streamedWhole(0): requestBody = .holding([], bytes: 0, ended: true)
        case .streaming, .streamedWhole: requestBody = .lost
        case .buffering, .holding, .done, .lost: break
        }
    }
}

extension ProxyExchangeStateMachine.BackendState {
    /// The connection this state holds.
    var connection: Connection? {
        switch self {
        case .awaitingHead(_, let connection, _, _), .bufferingResponse(let connection, _, _, _): connection
        case .streamingResponse(let connection, _, _): connection
        case .idle, .awaitingWholeBody, .connecting: nil
        }
    }
}

// MARK: - The backend's side: endpoint selection, the connection, the request, the response, failures.

extension ProxyExchangeStateMachine {
    // MARK: - Endpoint selection

    /// A `send` or `call` forwards the message to `endpoint`; `dropsRequestBody` when the message no longer
    /// carries the client's streamed body (a `call`: what follows it is the call's response).
    mutating func forward(
        to endpoint: ResolvedEndpoint,
        purpose: BackendPurpose,
        dropsRequestBody: Bool,
        now: NIODeadline
    ) -> LeafAction {
        guard reply == .notStarted else { return .none }
        self.purpose = purpose
        if dropsRequestBody { requestBody = .done }
        renewedToken = false
        attempt = endpoint.makeAttempt()
        return nextLeaf(now: now)
    }

    /// The endpoint's `format` converts the body: it is needed whole.
    mutating func awaitWholeBody(for leaf: EndpointLeaf) -> WholeBodyAction {
        switch requestBody {
        case .holding(let parts, _, true):
            requestBody = .done
            return .available(Self.joined(parts))
        case .holding:
            backend = .awaitingWholeBody(leaf)
            return .waitForBody
        case .lost:
            return .fault(Self.lostBodyFault)
        case .buffering, .streaming, .streamedWhole, .done:
            return .available(.empty)
        }
    }

    /// The request for the leaf could not be made (an invalid or unsupported URL): the leaf failed, and no
    /// other member is tried (the same configuration error would follow).
    mutating func prepareFailed(_ error: UpstreamError, now: NIODeadline) -> LeafAction {
        attempt?.report(.failure(errorCode: error.synapseErrorCode), now: now)
        return .fault(error.mediationFault)
    }

    /// The request is ready: get a connection for it.
    mutating func connect(_ request: BackendRequest) -> ConnectAction {
        switch (request.body, requestBody) {
        case (.streamed, .lost):
            return .fault(Self.lostBodyFault)
        case (.none, .holding), (.whole, .holding):
            // The message no longer carries the client's body: what still arrives of it is dropped.
            requestBody = .done
        default:
            break
        }
        backend = .connecting(request, isRetry: false)
        return .acquire
    }

    mutating func connectionAcquired(_ connection: Connection, reused: Bool) -> ConnectedAction {
        guard reply != .finished, case .connecting(let request, let isRetry) = backend else {
            return .release(connection)
        }
        let body: OutgoingBody
        switch request.body {
        case .none:
            body = .none
        case .whole(let buffer):
            body = .whole(buffer)
        case .streamed:
            if case .holding(let parts, let bytes, let ended) = requestBody {
                requestBody = ended ? .streamedWhole(bytes: bytes) : .streaming(sentBytes: bytes)
                body = .parts(parts, end: ended)
            } else {
                // Nothing of the client's body is left to send.
                body = .parts([], end: true)
            }
        }
        backend = .awaitingHead(request, connection, reused: reused, isRetry: isRetry)
        return .send(connection, request, body: body, watchEnd: Self.watchesEnd(of: request, reused: reused, isRetry: isRetry))
    }

    /// Whether the request end's write needs watching. A write that fails closes the channel, and the close alone
    /// reads as `connectionClosed`; only where that reading changes the outcome is the write watched (its failure is
    /// `sendingFailed`). On a pooled connection's first try with a body that can be sent again, a failed write is the
    /// backend having closed the idle connection, and `connectionClosed` there makes the one fresh try
    /// (`backendFailed`), which is the right answer to it. Elsewhere (a fresh connection, the retry, a streamed body)
    /// the error reaches the fault handling as it is.
    static func watchesEnd(of request: BackendRequest, reused: Bool, isRetry: Bool) -> Bool {
        if case .streamed = request.body { return true }
        return !reused || isRetry
    }

    /// No connection could be made: the leaf failed; fail over.
    mutating func connectFailed(_ error: UpstreamError, now: NIODeadline) -> LeafAction {
        guard reply != .finished, case .connecting = backend else { return .none }
        backend = .idle
        attempt?.report(.failure(errorCode: error.synapseErrorCode), now: now)
        return nextLeaf(now: now)
    }

    // MARK: - Response

    /// The backend connection failed (closed, reset, timed out, spoke something other than HTTP).
    mutating func backendFailed(_ error: UpstreamError, now: NIODeadline) -> FailureAction {
        switch reply {
        case .finished:
            return .none
        case .streaming:
            reply = .finished
            _ = releaseConnection()
            return .abortReply
        case .notStarted:
            break
        }
        switch backend {
        case .awaitingHead(let request, _, let reused, let isRetry):
            backend = .idle
            requestBodyLostItsBackend()
            let replayable: Bool = if case .lost = requestBody { false } else { true }
            if reused && !isRetry && error == .connectionClosed && replayable {
                // A pooled connection the backend had already closed: one fresh try, not counted against it.
                backend = .connecting(request, isRetry: true)
                return .retry(request)
            }
            attempt?.report(.failure(errorCode: error.synapseErrorCode), now: now)
            guard replayable else { return .fault(error.mediationFault) }
            switch nextLeaf(now: now) {
            case .none: return .none
            case .prepare(let leaf): return .prepare(leaf)
            case .fault(let fault): return .fault(fault)
            }
        case .streamingResponse, .bufferingResponse:
            // The response had started: no other member may answer instead.
            backend = .idle
            requestBodyLostItsBackend()
            return .fault(error.mediationFault)
        case .idle, .awaitingWholeBody, .connecting:
            return .none
        }
    }

    /// The response head arrived; `bufferBody` when the sequence or a handler that runs next reads the body.
    mutating func responseHead(status: Int, headers: HTTPHeaders, bufferBody: Bool, now: NIODeadline) -> ResponseHeadAction {
        guard reply != .finished, case .awaitingHead(let request, let connection, _, _) = backend else { return .none }
        if status == 401, request.leaf.oauth != nil, !renewedToken, !request.isStreamed {
            // Neither a success nor a failure of the endpoint: the same request goes again with a new token.
            renewedToken = true
            backend = .idle
            return .renewToken(request, abandon: connection)
        }
        inBackendRead = true
        attempt?.report(.success, now: now)
        if purpose == .call || bufferBody {
            backend = .bufferingResponse(connection, status: status, headers: headers, body: nil)
            return .bufferBody
        }
        backend = .streamingResponse(connection, held: [], complete: false)
        return .streamBody
    }

    mutating func responseBodyPart(_ part: ByteBuffer) -> ResponseBodyAction {
        guard reply != .finished else { return .none }
        switch backend {
        case .bufferingResponse(let connection, let status, let headers, let body):
            backend = .idle  // so the buffer is uniquely referenced while it grows
            var collected = part
            if var body {
                var part = part
                body.writeBuffer(&part)
                collected = body
            }
            guard collected.readableBytes <= maxBufferedBodyBytes else {
                requestBodyLostItsBackend()
                return .fault(
                    MediationFault(
                        code: SynapseErrorCode.receivingFailed,
                        message: "The back end response is larger than the gateway buffers (maxBufferedBodyBytes)"
                    ),
                    abandon: connection
                )
            }
            backend = .bufferingResponse(connection, status: status, headers: headers, body: collected)
            return .none
        case .streamingResponse(let connection?, var held, false):
            if reply == .streaming { return .write(part, from: connection) }
            // Between the response head and the reply head (a handler suspended): keep the bytes in order.
            backend = .idle
            held.append(part)
            backend = .streamingResponse(connection, held: held, complete: false)
            return .hold(pauseReading: connection)
        case .idle, .awaitingWholeBody, .connecting, .awaitingHead, .streamingResponse:
            return .none
        }
    }

    mutating func responseEnd() -> ResponseEndAction {
        guard reply != .finished else { return .none(closing: nil) }
        // A backend that answered before taking the whole request body is closed; the rest of the body is dropped.
        var closing: Connection?
        if case .streaming = requestBody {
            requestBody = .done
            closing = backend.connection
        }
        switch backend {
        case .bufferingResponse(_, let status, let headers, let body):
            backend = .idle
            return .deliver(
                status: status,
                headers: headers,
                body: body.map { .buffered($0) } ?? .empty,
                afterCall: purpose == .call,
                closing: closing
            )
        case .streamingResponse(_, let held, false):
            if reply == .streaming {
                reply = .finished
                backend = .idle
                return .finishReply(closing: closing)
            }
            // The connection went back to the pool (or is closing); the reply picks up the held parts.
            backend = .streamingResponse(nil, held: held, complete: true)
            return .none(closing: closing)
        case .idle, .awaitingWholeBody, .connecting, .awaitingHead, .streamingResponse:
            return .none(closing: closing)
        }
    }

    /// The bytes of one backend read were delivered; true when the client should get them now (flush).
    mutating func backendReadComplete() -> Bool {
        inBackendRead = false
        return reply == .streaming
    }

    // MARK: - Private

    private mutating func nextLeaf(now: NIODeadline) -> LeafAction {
        guard var attempt else { return .none }
        let leaf = attempt.next(now: now)
        self.attempt = attempt
        guard let leaf else { return .fault(attempt.exhaustionFault) }
        return .prepare(leaf)
    }

    private static var lostBodyFault: MediationFault {
        MediationFault(
            code: SynapseErrorCode.sendingFailed,
            message: "The request body went partly to a back end that failed, so it cannot be sent again"
        )
    }
}
