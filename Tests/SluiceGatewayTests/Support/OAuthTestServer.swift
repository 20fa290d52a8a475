import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A token endpoint and a resource behind it on one loopback port, for the OAuth endpoint tests.
///
/// - `POST /token`: records the form and the `Authorization` header; answers `{"access_token":"token-<n>",
///   "expires_in":<expiresIn>}` with a new token each time, or `failStatus` when set.
/// - `GET /resource`: 200 with `{"token":"<token>"}` when the bearer token is the latest issued one (and not
///   revoked), else 401.
final class OAuthTestServer: Sendable {
    struct State {
        var issued = 0
        var valid: String?
        var expiresIn: Int? = 3600
        var failStatus: Int?
        var tokenForms: [String] = []
        var tokenAuthorizations: [String] = []
        var tokenHeaders: [[String: String]] = []
        var resourceCalls = 0
        var refusedCalls = 0
    }

    let port: Int
    private let channel: any Channel
    let state: NIOLockedValueBox<State>

    private init(port: Int, channel: any Channel, state: NIOLockedValueBox<State>) {
        self.port = port
        self.channel = channel
        self.state = state
    }

    static func start() async throws -> OAuthTestServer {
        let state = NIOLockedValueBox(State())
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(OAuthTestHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
        return OAuthTestServer(port: port, channel: channel, state: state)
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The resource refuses every token issued so far (as after a key rotation).
    func revokeTokens() { state.withLockedValue { $0.valid = nil } }

    var snapshot: State { state.withLockedValue { $0 } }

    func shutdownInBackground() { channel.close(promise: nil) }
}

private final class OAuthTestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: NIOLockedValueBox<OAuthTestServer.State>
    private var head: HTTPRequestHead?
    private var body = ""

    init(state: NIOLockedValueBox<OAuthTestServer.State>) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = ""
        case .body(let part):
            body += String(buffer: part)
        case .end:
            guard let head else { return }
            let (status, answer) = respond(to: head)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(answer.utf8.count))
            let response = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: headers)
            context.write(wrapOutboundOut(.head(response)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: answer)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    private func respond(to head: HTTPRequestHead) -> (Int, String) {
        let authorization = head.headers.first(name: "Authorization") ?? ""
        let form = body
        return state.withLockedValue { state in
            if head.uri.hasPrefix("/token") {
                state.tokenForms.append(form)
                state.tokenAuthorizations.append(authorization)
                state.tokenHeaders.append(Dictionary(head.headers.map { ($0.name, $0.value) }) { _, last in last })
                if let failStatus = state.failStatus { return (failStatus, #"{"error":"invalid_client"}"#) }
                state.issued += 1
                let token = "token-\(state.issued)"
                state.valid = token
                let expiry = state.expiresIn.map { #","expires_in":\#($0)"# } ?? ""
                return (200, #"{"access_token":"\#(token)","token_type":"Bearer"\#(expiry)}"#)
            }
            state.resourceCalls += 1
            guard let valid = state.valid, authorization == "Bearer " + valid else {
                state.refusedCalls += 1
                return (401, #"{"error":"invalid_token"}"#)
            }
            return (200, #"{"token":"\#(valid)"}"#)
        }
    }
}
