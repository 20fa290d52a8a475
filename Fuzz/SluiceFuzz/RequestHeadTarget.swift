import NIOCore
import NIOEmbedded
import NIOHTTP1
import SluiceGateway
import SluiceModel
import SluiceSynapse

/// The gateway's request-head handling: raw bytes through NIO's HTTP/1.1 decoder and the gateway's connection
/// handler (limits, Host checks, pipelining, keep-alive), then request-target parsing, dot-segment removal and
/// routing over a small deployment, as a live request goes before its handlers run.
enum RequestHeadTarget {
    static let target = FuzzTarget(
        name: "request-head",
        summary: "raw HTTP/1.1 bytes through the gateway connection handler and router",
        run: run
    )

    private static let router: APIRouter = {
        let xml = """
            <definitions xmlns="http://ws.apache.org/ns/synapse">
              <api name="shop" context="/shop/{version}" version="1.0.0" version-type="context">
                <resource methods="GET" uri-template="/items/{id}?q={q}"><inSequence><respond/></inSequence></resource>
                <resource methods="POST PUT" url-mapping="/orders/*"><inSequence><respond/></inSequence></resource>
                <resource methods="GET" url-mapping="*.json" auth-type="None"><inSequence><respond/></inSequence></resource>
              </api>
              <api name="hosted" context="/shop/1.0.0" hostname="a.example" port="8280">
                <resource><inSequence><respond/></inSequence></resource>
              </api>
            </definitions>
            """
        let apis = (try? SynapseParser().parse(xml: xml, fileName: "router.xml").apis) ?? []
        return APIRouter(apis: apis)
    }()

    /// Answers each request from what the router made of it.
    private final class RoutingExchange: GatewayExchange {
        let head: HTTPRequestHead
        let connection: GatewayChannelHandler

        init(head: HTTPRequestHead, connection: GatewayChannelHandler) {
            self.head = head
            self.connection = connection
        }

        func start() {
            let target = RequestTarget(uri: head.uri)
            guard target.refusal == nil else { return connection.respond(status: .badRequest, body: nil) }
            let status: HTTPResponseStatus
            switch RequestHeadTarget.router.route(
                method: head.method.rawValue,
                target: target,
                host: head.headers.first(name: "Host")?.lowercased(),
                port: 8280,
                contentType: head.headers.first(name: "Content-Type"),
                userAgent: head.headers.first(name: "User-Agent")
            ) {
            case .matched(let match): status = target.stays(within: match.context) ? .ok : .badRequest
            case .noMatchingResource: status = .forbidden
            case .methodNotAllowed: status = .methodNotAllowed
            case .badRequest: status = .badRequest
            case .noAPI, .transportDenied: status = target.climbs ? .badRequest : .notFound
            }
            _ = target.queryParameters
            connection.respond(status: status, body: ByteBuffer(string: "ok"))
        }

        func requestBodyPart(_ part: ByteBuffer) {}
        func requestEnd() {}
        func clientWritabilityChanged(isWritable: Bool) {}
        func clientClosed() {}
    }

    private static func run(_ bytes: [UInt8]) {
        let channel = EmbeddedChannel()
        let maxHeaderBytes = 8 * 1024
        let limits = GatewayChannelHandler.Limits(
            maxHeaderBytes: maxHeaderBytes,
            maxRequestBodyBytes: 64 * 1024,
            idleTimeout: .seconds(60),
            readTimeout: .seconds(30)
        )
        do {
            var decoderLimits = NIOHTTPDecoderLimitConfiguration()
            decoderLimits.maxHeaderListSize = maxHeaderBytes
            decoderLimits.maxHeaderFieldSize = maxHeaderBytes
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withPipeliningAssistance: false,
                withErrorHandling: false,
                withOutboundHeaderValidation: true,
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: decoderLimits
            )
            try channel.pipeline.syncOperations.addHandler(
                GatewayChannelHandler(limits: limits) { head, connection in
                    RoutingExchange(head: head, connection: connection)
                }
            )
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        } catch {
            return
        }
        // In two reads, so the decoder also sees a request split across packets.
        let cut = bytes.count / 2
        _ = try? channel.writeInbound(ByteBuffer(bytes: bytes[..<cut]))
        _ = try? channel.writeInbound(ByteBuffer(bytes: bytes[cut...]))
        channel.embeddedEventLoop.run()
        while (try? channel.readOutbound(as: ByteBuffer.self)) != nil {}
        _ = try? channel.finish()
    }
}
