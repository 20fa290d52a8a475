import NIOCore
import NIOHTTP1

/// Toward the socket from the gateway's connection handler, installed only when tracing is on: the exchange hands
/// it the request's ``ExchangeTrace`` (a user event), and it records the response status and ends the spans when
/// the response's end is written, or when the connection closes first. Requests on a connection are answered in
/// order, so one trace is open at a time.
final class RequestSpanHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var trace: ExchangeTrace?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if let trace {
            switch unwrapOutboundIn(data) {
            case .head(let head):
                trace.responded(status: Int(head.status.code))
            case .body:
                break
            case .end:
                trace.end()
                self.trace = nil
            }
        }
        context.write(data, promise: promise)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let trace = event as? ExchangeTrace else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        self.trace?.end(failure: "superseded")
        self.trace = trace
        promise?.succeed(())
    }

    func channelInactive(context: ChannelHandlerContext) {
        trace?.end(failure: "client_closed")
        trace = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        trace?.end(failure: "client_closed")
        trace = nil
    }
}
