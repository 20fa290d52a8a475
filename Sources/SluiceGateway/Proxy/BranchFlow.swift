import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel

/// One message a `clone` or `iterate` split off (or an aggregate's merged message) in its own flow on the exchange's
/// event loop: it runs its sequence, talks to backends with its own state machine (bodies always buffered), and
/// either ends quietly, hands its message to an `aggregate`, or answers the client for the whole exchange.
///
/// A fault runs the fault sequence with this message; what that sequence builds answers the client, as Synapse's
/// fault handler for a split message does.
final class BranchFlow: UpstreamResponseDelegate {
    let exchange: ProxyExchange
    let scatter: ScatterGather
    var context: MessageContext
    var execution: SequenceExecution
    /// The sequential split this flow belongs to: when it ends, the next message of that split starts.
    let lane: Int?
    private var backend: ProxyExchangeStateMachine<UpstreamConnection>
    private var purpose = BackendPurpose.call
    /// Set while the fault sequence runs.
    private var fault: MediationFault?
    private(set) var ended = false

    init(_ branch: MessageBranch, exchange: ProxyExchange, scatter: ScatterGather, lane: Int?) {
        self.exchange = exchange
        self.scatter = scatter
        self.context = branch.context
        self.execution = branch.execution
        self.lane = lane
        self.backend = ProxyExchangeStateMachine(
            expectsRequestBody: false,
            maxBufferedBodyBytes: exchange.runtime.maxBufferedBodyBytes
        )
    }

    /// Runs the flow's sequence until it needs I/O or ends.
    func drive() {
        guard !ended else { return }
        guard !exchange.state.isFinished else { return end() }
        let step: MediationStep
        do throws(MediationFault) {
            step = try execution.run(&context)
        } catch {
            return handle(error)
        }
        act(on: step)
    }

    private func act(on step: MediationStep) {
        switch step {
        case .finished, .drop:
            fault == nil ? end() : answer()
        case .respond:
            answer()
        case .send(nil, _):
            // In the out flow (or a fault sequence) a send without endpoint answers the client.
            context.isResponse || fault != nil ? answer() : end()
        case .send(let endpoint?, let receive):
            forward(to: endpoint, purpose: .send(receive: receive))
        case .call(let endpoint):
            forward(to: endpoint, purpose: .call)
        case .loopback:
            context.isResponse = true
            if context.statusCode == nil { context.statusCode = 200 }
            runOutFlow(named: nil)
        case .split(let split):
            guard scatter.start(split, from: self) else { return }
            split.continueParent ? drive() : end()
        case .aggregate(let contribution):
            guard let merged = scatter.aggregate(contribution, MessageBranch(context: context, execution: execution), from: self)
            else { return end() }
            context = merged.context
            execution = merged.execution
            drive()
        case .runScript(let invocation):
            runScript(invocation)
        case .queryDatabase(let call):
            call.start(on: exchange.connection.eventLoop).assumeIsolated().whenComplete { [self] result in
                guard !ended else { return }
                guard !exchange.state.isFinished else { return end() }
                do throws(MediationFault) {
                    try call.resume(with: result, &context)
                } catch {
                    return handle(error)
                }
                drive()
            }
        }
    }

    /// Runs a `<script>` off the event loop on the script pool, as the exchange does, then resumes this flow.
    private func runScript(_ invocation: ScriptInvocation) {
        let limits = exchange.runtime.scriptLimits
        ScriptPool.run(invocation, with: context, limits: limits, on: exchange.connection.eventLoop)
            .assumeIsolated().whenSuccess { [self] finished in
                guard !ended else { return }
                guard !exchange.state.isFinished else { return end() }
                context = finished.context
                switch finished.outcome {
                case .success(nil): drive()
                case .success(let step?): act(on: step)
                case .failure(let fault): handle(fault)
                }
            }
    }

    /// Answers the client with this flow's message (the exchange ends).
    private func answer() {
        ended = true
        scatter.answer(from: self, with: context, fault: fault)
    }

    /// The flow ended without answering.
    func end() {
        guard !ended else { return }
        ended = true
        backend.releaseConnection()?.abandon()
        scatter.flowEnded(self)
    }

    /// A mediator or the backend failed: the fault sequence runs with this message.
    func handle(_ error: MediationFault) {
        guard !ended, !exchange.state.isFinished else { return end() }
        guard fault == nil else {
            fault = error
            return answer()
        }
        fault = error
        context.recordFault(error)
        let fallback = exchange.resource?.faultSequence ?? exchange.snapshot.program.faultSequence
        execution = SequenceExecution(sequence: execution.faultSequence(default: fallback), program: exchange.snapshot.program)
        drive()
    }

    private func runOutFlow(named receive: String?) {
        let program = exchange.snapshot.program
        guard let sequence = receive.flatMap({ program.sequence(named: $0) }) ?? exchange.resource?.outSequence else {
            return answer()
        }
        execution = SequenceExecution(sequence: sequence, program: program)
        drive()
    }

    // MARK: - Backend

    private func forward(to endpoint: ResolvedEndpoint, purpose: BackendPurpose) {
        self.purpose = purpose
        carryOut(backend.forward(to: endpoint, purpose: purpose, dropsRequestBody: false, now: exchange.runtime.now()))
    }

    private func carryOut(_ action: ProxyExchangeStateMachine<UpstreamConnection>.LeafAction) {
        switch action {
        case .none: break
        case .prepare(let leaf): send(to: leaf)
        case .fault(let fault): handle(fault)
        }
    }

    private func send(to leaf: EndpointLeaf) {
        guard let oauth = leaf.oauth else { return sendAuthorized(to: leaf) }
        withToken(from: oauth, rejecting: nil) { [self] token in
            context.headers.replaceOrAdd(name: "Authorization", value: OAuthTokens.authorization(token))
            sendAuthorized(to: leaf)
        }
    }

    private func sendAuthorized(to leaf: EndpointLeaf) {
        let runtime = exchange.runtime
        let request: BackendRequest
        switch BackendRequest.prepare(
            for: leaf,
            context: &context,
            clientRequest: exchange.requestHead,
            clientAddress: exchange.connection.remoteAddress,
            defaultTimeout: runtime.defaultEndpointTimeout
        ) {
        case .success(let prepared): request = prepared
        case .failure(.fault(let fault)): return handle(fault)
        case .failure(.unusable(let error)): return carryOut(backend.prepareFailed(error, now: runtime.now()))
        }
        acquireConnection(for: request)
    }

    private func acquireConnection(for request: BackendRequest) {
        guard let pool = exchange.pool else {
            let error = UpstreamError.connectionFailed("no connection pool on this event loop")
            return carryOut(backend.prepareFailed(error, now: exchange.runtime.now()))
        }
        switch backend.connect(request) {
        case .fault(let fault):
            handle(fault)
        case .acquire:
            if let upstream = pool.takeIdle(request.key) {
                connected(upstream)
            } else {
                pool.connect(request.key) { [self] result in
                    switch result {
                    case .success(let upstream): connected(upstream)
                    case .failure(let error): carryOut(backend.connectFailed(error, now: exchange.runtime.now()))
                    }
                }
            }
        }
    }

    private func connected(_ upstream: UpstreamConnection) {
        guard !ended else { return exchange.pool?.release(upstream) ?? () }
        switch backend.connectionAcquired(upstream, reused: upstream.completedExchanges > 0) {
        case .release(let upstream):
            exchange.pool?.release(upstream)
        case .send(let upstream, let request, let body, let watchEnd):
            guard upstream.startRequest(request, watchEnd: watchEnd, delegate: self) else {
                return self.upstream(upstream, didFail: .connectionClosed)
            }
            if case .whole(let buffer) = body {
                upstream.writeBodyPart(buffer)
                upstream.finishRequest()
            }
        }
    }

    // MARK: - UpstreamResponseDelegate

    func upstream(_ connection: UpstreamConnection, didReceiveHead head: HTTPResponseHead) {
        guard !ended else { return connection.abandon() }
        var headers = head.headers
        HopByHopHeaders.remove(from: &headers)
        let action = backend.responseHead(
            status: Int(head.status.code),
            headers: headers,
            bufferBody: true,
            now: exchange.runtime.now()
        )
        guard case .renewToken(let request, let refused) = action, let oauth = request.leaf.oauth else { return }
        refused.abandon()
        withToken(from: oauth, rejecting: OAuthTokens.bearerToken(of: request)) { [self] token in
            var request = request
            OAuthTokens.authorize(&request, context: &context, with: token)
            acquireConnection(for: request)
        }
    }

    /// Runs `body` with the endpoint's token, at once or when the token request answers; see `ProxyExchange`.
    private func withToken(from oauth: OAuthTokenSource, rejecting: String?, _ body: @escaping (String) -> Void) {
        let lookup: OAuthTokenCache.Lookup
        do throws(MediationFault) {
            lookup = try OAuthTokens.token(
                for: oauth,
                context: &context,
                rejecting: rejecting,
                pool: exchange.pool,
                eventLoop: exchange.connection.eventLoop,
                now: exchange.runtime.now(),
                defaultTimeout: exchange.runtime.defaultEndpointTimeout
            )
        } catch {
            return handle(error)
        }
        OAuthTokens.whenReady(
            lookup,
            of: oauth,
            stillWanted: { [self] in
                guard !ended else { return false }
                guard !exchange.state.isFinished else {
                    end()
                    return false
                }
                return true
            },
            onFault: { [self] fault in handle(fault) },
            body: body
        )
    }

    func upstream(_ connection: UpstreamConnection, didReceiveBodyPart part: ByteBuffer) {
        if case .fault(let fault, let upstream) = backend.responseBodyPart(part) {
            upstream.abandon()
            handle(fault)
        }
    }

    func upstreamReadComplete(_ connection: UpstreamConnection) {
        _ = backend.backendReadComplete()
    }

    func upstreamDidFinishResponse(_ connection: UpstreamConnection) {
        guard case .deliver(let status, let headers, let body, _, let closing) = backend.responseEnd() else { return }
        closing?.abandon()
        guard !ended else { return }
        context.receiveResponse(status: status, headers: headers, body: body)
        switch purpose {
        case .call: drive()
        case .send(let receive): runOutFlow(named: receive)
        }
    }

    func upstream(_ connection: UpstreamConnection, didFail error: UpstreamError) {
        guard !ended else { return }
        let runtime = exchange.runtime
        switch backend.backendFailed(error, now: runtime.now()) {
        case .none, .abortReply:
            break
        case .retry(let request):
            guard let pool = exchange.pool else {
                return carryOut(backend.connectFailed(.connectionFailed("no connection pool on this event loop"), now: runtime.now()))
            }
            pool.connect(request.key) { [self] result in
                switch result {
                case .success(let upstream): connected(upstream)
                case .failure(let error): carryOut(backend.connectFailed(error, now: exchange.runtime.now()))
                }
            }
        case .prepare(let leaf):
            send(to: leaf)
        case .fault(let fault):
            handle(fault)
        }
    }

    func upstreamWritabilityChanged(_ connection: UpstreamConnection) {}
}

@available(*, unavailable)
extension BranchFlow: Sendable {}
