import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small OTLP/HTTP collector for tests: accepts `POST /v1/traces` with JSON bodies (`http/json`), answers with an
/// empty export response, and decodes what it received into spans.
final class OTLPReceiver: Sendable {
    /// One span as the exporter sent it; ids in lower-case hex.
    struct ReceivedSpan: Sendable {
        var serviceName: String?
        var traceID: String
        var spanID: String
        var parentSpanID: String?
        var name: String
        /// OTLP's span kinds: 1 internal, 2 server, 3 client.
        var kind: Int
        var attributes: [String: String]
        /// OTLP's status codes: 0 unset, 1 ok, 2 error.
        var statusCode: Int
    }

    let port: Int
    private let channel: any Channel
    private let box: BodiesBox

    private init(channel: any Channel, box: BodiesBox) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.box = box
    }

    static func start() async throws -> OTLPReceiver {
        let box = BodiesBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ExportHandler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return OTLPReceiver(channel: channel, box: box)
    }

    func shutdown() async throws {
        try await channel.close()
    }

    /// The exports received so far, with their `Content-Type`.
    var exports: [(contentType: String?, body: Data)] { box.bodies.withLock { $0 } }

    /// Every span of every export received so far.
    func spans() throws -> [ReceivedSpan] {
        try exports.flatMap { try Self.decode($0.body) }
    }

    static func decode(_ body: Data) throws -> [ReceivedSpan] {
        guard let root = try JSONSerialization.jsonObject(with: body) as? [String: Any] else { return [] }
        var spans: [ReceivedSpan] = []
        for resourceSpans in root["resourceSpans"] as? [[String: Any]] ?? [] {
            let resource = attributes((resourceSpans["resource"] as? [String: Any])?["attributes"])
            for scopeSpans in resourceSpans["scopeSpans"] as? [[String: Any]] ?? [] {
                for span in scopeSpans["spans"] as? [[String: Any]] ?? [] {
                    spans.append(
                        ReceivedSpan(
                            serviceName: resource["service.name"],
                            traceID: hex(span["traceId"]) ?? "",
                            spanID: hex(span["spanId"]) ?? "",
                            parentSpanID: hex(span["parentSpanId"]),
                            name: span["name"] as? String ?? "",
                            kind: number(span["kind"]) ?? 0,
                            attributes: attributes(span["attributes"]),
                            statusCode: number((span["status"] as? [String: Any])?["code"]) ?? 0
                        )
                    )
                }
            }
        }
        return spans
    }

    /// OTLP's key-value list, every value as text.
    private static func attributes(_ list: Any?) -> [String: String] {
        var result: [String: String] = [:]
        for entry in list as? [[String: Any]] ?? [] {
            guard let key = entry["key"] as? String, let value = entry["value"] as? [String: Any] else { continue }
            if let text = value["stringValue"] as? String {
                result[key] = text
            } else if let number = value["intValue"] {
                result[key] = "\(number)"
            } else if let flag = value["boolValue"] as? Bool {
                result[key] = String(flag)
            } else if let double = value["doubleValue"] {
                result[key] = "\(double)"
            }
        }
        return result
    }

    /// Protobuf JSON writes ids as base64 (OTLP's own JSON as hex): either way, lower-case hex; nil when empty.
    private static func hex(_ value: Any?) -> String? {
        guard let text = value as? String, !text.isEmpty else { return nil }
        if text.count % 16 == 0, text.allSatisfy(\.isHexDigit) { return text.lowercased() }
        guard let bytes = Data(base64Encoded: text), !bytes.allSatisfy({ $0 == 0 }) else { return nil }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    private static func number(_ value: Any?) -> Int? {
        if let number = value as? Int { return number }
        if let text = value as? String { return Int(text) }
        return nil
    }
}

private final class BodiesBox: Sendable {
    let bodies = Mutex<[(contentType: String?, body: Data)]>([])
}

/// Collects each request's body and answers 200 with an empty JSON export response.
private final class ExportHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let box: BodiesBox
    private var contentType: String?
    private var body = ByteBuffer()

    init(box: BodiesBox) {
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            contentType = head.headers.first(name: "Content-Type")
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            let received = (contentType, Data(body.readableBytesView))
            box.bodies.withLock { $0.append(received) }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: "2")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "{}")))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
