import NIOCore
import NIOHTTP1
import SluiceModel

/// Between the HTTP codec and the gateway's connection handler, installed only when the access log or
/// correlation ids are on: gives a request without an `activityid` header one (so the exchange passes it to the
/// backend and logs with it), and when the response ends hands a record to the access log's buffer. Requests are
/// answered in order, so pipelined requests wait in a queue for their responses.
final class AccessLogHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private struct Pending {
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
    private var pending = CircularBuffer<Pending>(initialCapacity: 2)
    private var clientAddress = "-"

    init(log: GatewayAccessLog) {
        self.log = log
    }

    func channelActive(context: ChannelHandlerContext) {
        clientAddress = context.channel.remoteAddress?.ipAddress ?? "-"
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { clientAddress = context.channel.remoteAddress?.ipAddress ?? "-" }
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
            pending.append(
                Pending(
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
                clientAddress: clientAddress,
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
