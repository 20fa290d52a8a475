import NIOCore
import NIOHTTP1
import SluiceModel

/// Between the HTTP codec and the gateway's connection handler, installed only when the access log or
/// correlation ids are on: gives a request without an `activityid` header one (so the exchange passes it to the
/// backend and logs with it), and when the response ends hands a record to the access log's buffer. Requests are
/// answered in order, so pipelined requests wait in a queue for their responses.
///
/// The client address (`%h`) is the connection's peer, or, when the peer is a trusted proxy, the client its
/// `X-Forwarded-For` names, as throttling and the deny checks see it (``TrustedProxies``).
final class AccessLogHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private struct Pending {
        var clientAddress: String
        var startMillis: Int64
        var start: NIODeadline
        var method: String
        var uri: String
        var version: String
        var headers: [String?]
        var correlationID: String?
        var status = 0
        var bytes = 0
        var annotation = AccessLogAnnotation()
    }

    private let log: GatewayAccessLog
    private let trustedProxies: TrustedProxies
    private var pending = CircularBuffer<Pending>(initialCapacity: 2)
    private var peerAddress: String?
    /// Whether the peer is a trusted proxy, decided once per connection: only then is `X-Forwarded-For` read.
    private var peerIsTrustedProxy = false

    init(log: GatewayAccessLog, trustedProxies: TrustedProxies = .none) {
        self.log = log
        self.trustedProxies = trustedProxies
    }

    func channelActive(context: ChannelHandlerContext) {
        learnPeer(context)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { learnPeer(context) }
    }

    private func learnPeer(_ context: ChannelHandlerContext) {
        peerAddress = context.channel.remoteAddress?.ipAddress
        peerIsTrustedProxy = peerAddress.map { trustedProxies.isTrusted($0[...]) } ?? false
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        var correlationID = head.headers.first(name: GatewayAccessLog.correlationHeader)
        if correlationID == nil, log.settings.generatesCorrelationIDs {
            let id = log.makeCorrelationID()
            head.headers.add(name: GatewayAccessLog.correlationHeader, value: id)
            correlationID = id
        }
        if log.buffer != nil {
            let client = peerIsTrustedProxy ? trustedProxies.clientAddress(peer: peerAddress, headers: head.headers) : peerAddress
            pending.append(
                Pending(
                    clientAddress: client ?? "-",
                    startMillis: log.clock.millisecondsSinceEpoch(),
                    start: log.now(),
                    method: head.method.rawValue,
                    uri: head.uri,
                    version: "HTTP/\(head.version.major).\(head.version.minor)",
                    headers: log.format.headerNames.map { head.headers.first(name: $0) },
                    correlationID: correlationID
                )
            )
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if !pending.isEmpty {
            switch unwrapOutboundIn(data) {
            case .head(let head): pending[pending.startIndex].status = Int(head.status.code)
            case .body(.byteBuffer(let buffer)): pending[pending.startIndex].bytes += buffer.readableBytes
            case .body(.fileRegion(let region)): pending[pending.startIndex].bytes += region.readableBytes
            case .end: finish(pending.removeFirst())
            }
        }
        context.write(data, promise: promise)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let annotation = event as? AccessLogAnnotation else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        if !pending.isEmpty { pending[pending.startIndex].annotation = annotation }
        promise?.succeed(())
    }

    private func finish(_ request: Pending) {
        let elapsed = log.now() - request.start
        log.buffer?.offer(
            AccessLogRecord(
                clientAddress: request.clientAddress,
                startMillis: request.startMillis,
                method: request.method,
                uri: request.uri,
                version: request.version,
                status: request.status,
                bytes: request.bytes,
                latencyMicros: max(0, elapsed.nanoseconds / 1000),
                headers: request.headers,
                user: request.annotation.user,
                api: request.annotation.api,
                application: request.annotation.application,
                correlationID: request.correlationID
            )
        )
    }
}
