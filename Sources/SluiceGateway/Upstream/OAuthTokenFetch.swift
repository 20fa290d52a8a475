import NIOCore
import NIOHTTP1
import SluiceMediation

/// One token request of an OAuth endpoint, posted through the gateway's own backend pool on the event loop that
/// needs the token (no thread blocks, no second HTTP client): a fresh connection, the form, then the answer read
/// whole and handed to `OAuthTokenGrant.read`. The connection goes back to the pool afterwards.
final class OAuthTokenFetch: UpstreamResponseDelegate {
    /// A token endpoint's answer larger than this is refused.
    static let maximumAnswerBytes = 64 * 1024

    private let request: OAuthTokenRequest
    private let promise: EventLoopPromise<OAuthTokenGrant>
    private let timeout: TimeAmount
    private var status = 0
    private var answer: [UInt8] = []
    private var completed = false

    private init(_ request: OAuthTokenRequest, promise: EventLoopPromise<OAuthTokenGrant>, timeout: TimeAmount) {
        self.request = request
        self.promise = promise
        self.timeout = timeout
    }

    /// Sends `request` and reads its answer; the future completes on the pool's event loop.
    /// - Parameters:
    ///   - request: The token request.
    ///   - pool: The backend pool of the caller's event loop.
    ///   - timeout: How long the token endpoint may take to start answering.
    static func start(
        _ request: OAuthTokenRequest,
        pool: UpstreamConnectionPool,
        timeout: TimeAmount
    ) -> EventLoopFuture<OAuthTokenGrant> {
        let fetch = OAuthTokenFetch(request, promise: pool.eventLoop.makePromise(), timeout: timeout)
        let url = request.url
        pool.connect(UpstreamKey(host: url.host, port: url.port, isTLS: url.scheme == "https")) { result in
            fetch.connected(result)
        }
        return fetch.promise.futureResult
    }

    private func connected(_ result: Result<UpstreamConnection, UpstreamError>) {
        let upstream: UpstreamConnection
        switch result {
        case .success(let connection): upstream = connection
        case .failure(let error): return fail(error)
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: request.url.hostHeader)
        headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        headers.add(name: "Accept", value: "application/json")
        for header in request.headers { headers.replaceOrAdd(name: header.name, value: header.value) }
        let body = ByteBuffer(string: request.body)
        headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: request.url.target, headers: headers)
        guard upstream.startRequest(head, hasBody: true, timeout: timeout, delegate: self) else {
            upstream.abandon()
            return fail(.connectionClosed)
        }
        upstream.writeBodyPart(body)
        upstream.finishRequest()
    }

    private func fail(_ error: UpstreamError) {
        let reason =
            switch error {
            case .connectionFailed(let detail): "Unable to connect to the OAuth token endpoint: \(detail)"
            case .connectTimeout: "Connection timeout: Failed to establish a connection to the OAuth token endpoint."
            case .responseTimeout: "Socket timeout: OAuth token endpoint did not respond within the expected time frame."
            case .connectionClosed: "The OAuth token endpoint closed the connection before answering."
            case .protocolViolation(let detail): "The OAuth token endpoint did not answer in HTTP: \(detail)"
            case .sendingFailed(let detail): "Sending the token request failed: \(detail)"
            }
        complete(.failure(OAuthTokenRequest.Failure(reason)))
    }

    /// Completes the promise once: a connection can report a failure after the answer was read.
    private func complete(_ result: Result<OAuthTokenGrant, OAuthTokenRequest.Failure>) {
        guard !completed else { return }
        completed = true
        switch result {
        case .success(let grant): promise.succeed(grant)
        case .failure(let failure): promise.fail(failure)
        }
    }

    // MARK: - UpstreamResponseDelegate

    func upstream(_ connection: UpstreamConnection, didReceiveHead head: HTTPResponseHead) {
        status = Int(head.status.code)
    }

    func upstream(_ connection: UpstreamConnection, didReceiveBodyPart part: ByteBuffer) {
        guard answer.count + part.readableBytes <= Self.maximumAnswerBytes else {
            connection.abandon()
            return complete(.failure(OAuthTokenRequest.Failure("The token endpoint's answer is larger than 64 KiB")))
        }
        answer.append(contentsOf: part.readableBytesView)
    }

    func upstreamDidFinishResponse(_ connection: UpstreamConnection) {
        complete(OAuthTokenGrant.read(status: status, body: answer))
    }

    func upstream(_ connection: UpstreamConnection, didFail error: UpstreamError) {
        fail(error)
    }

    func upstreamWritabilityChanged(_ connection: UpstreamConnection) {}

    func upstreamReadComplete(_ connection: UpstreamConnection) {}
}
