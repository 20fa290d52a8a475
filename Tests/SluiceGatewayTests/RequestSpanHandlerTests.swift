import InMemoryTracing
import NIOCore
import NIOEmbedded
import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing
import Tracing

@testable import SluiceGateway

/// The spans of one exchange as the connection sees it: ended with the response's end, or when the client leaves
/// first; a handler hook that suspends keeps one span until it resumes and decides.
@Suite struct RequestSpanHandlerTests {
    static func trace(_ tracer: InMemoryTracer) -> ExchangeTrace {
        ExchangeTrace(
            tracer: tracer,
            head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/pizza/1.0/menu"),
            path: "/pizza/1.0/menu",
            transport: .http,
            peer: "10.0.0.7"
        )
    }

    @Test func theResponseEndEndsEveryOpenSpanWithTheStatus() throws {
        let tracer = InMemoryTracer()
        let channel = EmbeddedChannel(handler: RequestSpanHandler())
        let trace = Self.trace(tracer)
        channel.pipeline.syncOperations.triggerUserOutboundEvent(trace, promise: nil)
        trace.handlerWillRun(at: 0, className: "org.example.Auth", onResponse: false)
        #expect(tracer.finishedSpans.isEmpty)

        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .badGateway)))
        #expect(tracer.finishedSpans.isEmpty)
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        let spans = tracer.finishedSpans
        #expect(spans.map(\.operationName) == ["Auth", "GET"])
        let root = try #require(spans.last)
        #expect(root.kind == .server && root.status?.code == .error)
        #expect(root.attributes["http.response.status_code"]?.toSpanAttribute() == .int64(502))
        #expect(root.attributes["network.peer.address"]?.toSpanAttribute() == .string("10.0.0.7"))
        #expect(spans.first?.parentSpanID == root.spanID)
        // A later response on the connection belongs to no trace here.
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(tracer.finishedSpans.count == 2)
        _ = try channel.finish()
    }

    @Test func aClientThatLeavesFirstEndsTheTraceAsClosed() throws {
        let tracer = InMemoryTracer()
        let channel = EmbeddedChannel(handler: RequestSpanHandler())
        let trace = Self.trace(tracer)
        channel.pipeline.syncOperations.triggerUserOutboundEvent(trace, promise: nil)
        var backendHead = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/base/menu")
        trace.backendStarting(
            head: &backendHead,
            server: ("127.0.0.1", 9000, false),
            endpoint: "http://127.0.0.1:9000/base",
            isCall: false
        )
        // The backend request carries the backend span's context.
        #expect(tracer.performedContextInjections.count == 1)
        channel.pipeline.fireChannelInactive()
        let spans = tracer.finishedSpans
        #expect(spans.map(\.kind) == [.client, .server])
        #expect(spans.allSatisfy { $0.attributes["error.type"]?.toSpanAttribute() == .string("client_closed") })
        #expect(trace.isEnded)
        _ = try? channel.finish()
    }

    @Test func aSuspendedHookKeepsOneSpanUntilItDecides() throws {
        let tracer = InMemoryTracer()
        let trace = Self.trace(tracer)
        let context = MessageContext(method: "GET", requestPath: "/pizza/1.0/menu")
        let loop = EmbeddedEventLoop()
        trace.handlerWillRun(at: 1, className: "org.example.KeyCheck", onResponse: false)
        trace.handlerDidRun(at: 1, decision: .suspend(loop.makeSucceededVoidFuture()), context: context, onResponse: false)
        trace.handlerWillRun(at: 1, className: "org.example.KeyCheck", onResponse: false)
        trace.handlerDidRun(
            at: 1, decision: .fault(MediationFault(code: 900901, message: "Invalid Credentials")), context: context,
            onResponse: false
        )
        let spans = tracer.finishedSpans
        #expect(spans.map(\.operationName) == ["KeyCheck"])
        #expect(spans.first?.attributes["sluice.fault.code"]?.toSpanAttribute() == .int64(900901))
        #expect(spans.first?.status?.code == .error)
        trace.end()
        #expect(tracer.finishedSpans.count == 2)
    }
}
