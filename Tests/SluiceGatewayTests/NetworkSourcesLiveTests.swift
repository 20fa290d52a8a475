import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import SluiceTesting
import Testing

@testable import SluiceGateway

/// The http(s) documents artifacts name, fetched when their file deploys: a WSDL endpoint whose WSDL is a URL
/// resolves its address from it, an xslt whose stylesheet is a network local entry transforms with it; a fetch
/// that fails (status, time, size, content) is that file's deployment error with the URL and the reason, and what
/// served before keeps serving.
@Suite(.timeLimit(.minutes(1))) struct NetworkSourcesLiveTests {
    static func wsdl(address: String) -> String {
        """
        <wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/">
          <wsdl:service name="Orders"><wsdl:port name="Soap11">
            <soap:address location="\(address)"/>
          </wsdl:port></wsdl:service>
        </wsdl:definitions>
        """
    }

    static let shoutingStylesheet = """
        <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
          <xsl:template match="/order">
            <shouted><xsl:value-of select="translate(name, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')"/></shouted>
          </xsl:template>
        </xsl:stylesheet>
        """

    static func wsdlAPI(name: String, wsdlURL: String) -> String {
        Artifact.api(
            name: name,
            context: "/" + name,
            resources: """
                <resource methods="POST" url-mapping="/order">
                  <inSequence><send><endpoint><wsdl uri="\(wsdlURL)" service="Orders" port="Soap11"/></endpoint></send></inSequence>
                  <outSequence><send/></outSequence>
                </resource>
                """
        )
    }

    static func localEntry(key: String, source: String) -> String {
        #"<localEntry xmlns="http://ws.apache.org/ns/synapse" key="\#(key)" src="\#(source)"/>"#
    }

    /// Polls the deployment status until `done` holds for it.
    static func waitForStatus(
        _ gateway: GatewayHarness,
        _ done: (DeploymentStatus) -> Bool
    ) async throws -> DeploymentStatus {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let status = gateway.service.deploymentStatus
            if done(status) { return status }
            try await Task.sleep(for: .milliseconds(20))
        }
        return gateway.service.deploymentStatus
    }

    @Test func aWSDLAndAStylesheetFetchedAtDeploymentServeWithoutFetchingPerRequest() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let documents = try await DocumentServer.start([
            "/orders.wsdl": .init(body: Self.wsdl(address: backend.baseURL + "/echo/wsdl")),
            "/shout.xsl": .init(body: Self.shoutingStylesheet),
        ])
        defer { documents.stopInBackground() }
        let gateway = try await GatewayHarness.start(files: [
            "local-entries/shout.xml": Self.localEntry(key: "shout", source: documents.baseURL + "/shout.xsl"),
            "api/w.xml": Self.wsdlAPI(name: "w", wsdlURL: documents.baseURL + "/orders.wsdl"),
            "api/x.xml": Artifact.api(
                name: "x",
                context: "/x",
                resources: #"<resource methods="POST" url-mapping="/shout"><inSequence><xslt key="shout"/><respond/></inSequence></resource>"#
            ),
        ])
        defer { gateway.stopInBackground() }
        // The gateway listens once its first deployment, fetches included, is done.
        let status = gateway.service.deploymentStatus
        #expect(status.files.count == 3)
        #expect(status.files.allSatisfy { $0.state == .deployed && $0.warnings.isEmpty }, "\(status.files.flatMap(\.diagnostics))")

        for _ in 0..<2 {
            let order = try await HTTPClient.shared.send(
                .POST,
                gateway.baseURL + "/w/order",
                headers: [("Content-Type", "application/xml")],
                body: "<order><id>4</id></order>"
            )
            #expect(order.status == 200)
            #expect(backend.recordedRequests.last?.uri == "/echo/wsdl")
            let shouted = try await HTTPClient.shared.send(
                .POST,
                gateway.baseURL + "/x/shout",
                headers: [("Content-Type", "application/xml")],
                body: "<order><name>chair</name></order>"
            )
            #expect(shouted.status == 200)
            #expect(shouted.body.contains("<shouted>CHAIR</shouted>"), "\(shouted.body)")
        }
        // Fetched once, when deployed: never per message.
        #expect(documents.requests(to: "/orders.wsdl") == 1)
        #expect(documents.requests(to: "/shout.xsl") == 1)

        // A new version of the file fetches again (as Synapse does when it redeploys an artifact).
        documents.set("/orders.wsdl", .init(body: Self.wsdl(address: backend.baseURL + "/echo/moved")))
        try gateway.write("api/w.xml", Self.wsdlAPI(name: "w", wsdlURL: documents.baseURL + "/orders.wsdl") + "\n")
        _ = try await Self.waitForStatus(gateway) { _ in documents.requests(to: "/orders.wsdl") == 2 }
        _ = try await Self.waitForStatus(gateway) { status in
            status.files.allSatisfy { $0.state == .deployed } && status.generation >= 3
        }
        let moved = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/w/order",
            headers: [("Content-Type", "application/xml")],
            body: "<order><id>5</id></order>"
        )
        #expect(moved.status == 200)
        #expect(backend.recordedRequests.last?.uri == "/echo/moved")
    }

    /// Each way a fetch fails, for a WSDL and for a local entry.
    static let failures: [(path: String, reason: String)] = [
        ("/missing.wsdl", "the server answered 404 Not Found"),
        ("/hang", "no complete answer within 1 s"),
        ("/huge.wsdl", "the document is over the limit of 4096 bytes"),
        ("/not-xml.wsdl", "XML"),
    ]

    @Test(arguments: failures)
    func aFailedWSDLFetchFailsTheFileAndTheOldVersionKeepsServing(path: String, reason: String) async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let documents = try await DocumentServer.start([
            "/orders.wsdl": .init(body: Self.wsdl(address: backend.baseURL + "/echo/first")),
            "/huge.wsdl": .init(body: Self.wsdl(address: backend.baseURL + "/echo/huge") + String(repeating: " ", count: 5000)),
            "/not-xml.wsdl": .init(contentType: "application/json", body: #"{"service":"Orders"}"#),
        ])
        defer { documents.stopInBackground() }
        let gateway = try await GatewayHarness.start(
            files: [
                "api/w.xml": Self.wsdlAPI(name: "w", wsdlURL: documents.baseURL + "/orders.wsdl"),
                "api/plain.xml": Artifact.api(
                    name: "plain",
                    context: "/plain",
                    resources: #"<resource methods="GET" url-mapping="/ping"><inSequence><respond/></inSequence></resource>"#
                ),
            ],
            configure: { $0.networkFetch = NetworkFetchLimits(timeout: .seconds(1), maxBytes: 4096) }
        )
        defer { gateway.stopInBackground() }
        #expect(gateway.service.deploymentStatus.files.allSatisfy { $0.state == .deployed })

        let url = documents.baseURL + path
        try gateway.write("api/w.xml", Self.wsdlAPI(name: "w", wsdlURL: url))
        let status = try await Self.waitForStatus(gateway) { status in
            status.files.contains { $0.path.hasSuffix("w.xml") && $0.diagnostics.contains { !$0.message.contains("being fetched") } }
        }
        let file = try #require(status.files.first { $0.path.hasSuffix("w.xml") })
        #expect(file.state == .failed)
        #expect(file.servingPreviousVersion)
        let message = file.diagnostics.map(\.message).joined(separator: "\n")
        #expect(message.contains("'\(url)'"), "\(message)")
        #expect(message.contains(reason), "\(message)")
        #expect(file.diagnostics.first?.line == 4, "\(file.diagnostics)")

        // The first version keeps serving, and so does the rest of the gateway.
        let order = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/w/order",
            headers: [("Content-Type", "application/xml")],
            body: "<order/>"
        )
        #expect(order.status == 200)
        #expect(backend.recordedRequests.last?.uri == "/echo/first")
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/plain/ping").status == 200)
    }

    @Test func aLocalEntryWhoseSourceCannotBeFetchedIsADeployErrorAndItsUserFaults() async throws {
        let documents = try await DocumentServer.start([:])
        defer { documents.stopInBackground() }
        let url = documents.baseURL + "/gone.xsl"
        let gateway = try await GatewayHarness.start(files: [
            "local-entries/gone.xml": Self.localEntry(key: "gone", source: url),
            "api/x.xml": Artifact.api(
                name: "x",
                context: "/x",
                resources: #"<resource methods="POST" url-mapping="/t"><inSequence><xslt key="gone"/><respond/></inSequence></resource>"#
            ),
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        let entry = try #require(status.files.first { $0.path.hasSuffix("gone.xml") })
        #expect(entry.state == .failed)
        #expect(
            entry.diagnostics.map(\.message) == ["cannot fetch local entry source '\(url)': the server answered 404 Not Found"]
        )
        // The API deploys with the reference unresolved (a warning), and a message reaching it faults.
        let api = try #require(status.files.first { $0.path.hasSuffix("x.xml") })
        #expect(api.state == .deployed)
        #expect(api.warnings.contains { $0.message.contains("'gone'") }, "\(api.warnings)")
        let faulted = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/x/t",
            headers: [("Content-Type", "application/xml")],
            body: "<order/>"
        )
        #expect(faulted.status >= 500)
    }
}

/// A loopback HTTP server of fixed documents, for the deployer's fetches: each path answers its document (404
/// otherwise), `/hang` never answers. Counts the requests per path.
final class DocumentServer: Sendable {
    struct Document: Sendable {
        var status: HTTPResponseStatus = .ok
        var contentType = "application/xml"
        var body: String
    }

    let port: Int
    private let channel: any Channel
    private let documents: NIOLockedValueBox<[String: Document]>
    private let hits: NIOLockedValueBox<[String: Int]>

    private init(channel: any Channel, documents: NIOLockedValueBox<[String: Document]>, hits: NIOLockedValueBox<[String: Int]>) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.documents = documents
        self.hits = hits
    }

    static func start(_ documents: [String: Document]) async throws -> DocumentServer {
        let box = NIOLockedValueBox(documents)
        let hits = NIOLockedValueBox<[String: Int]>([:])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(DocumentHandler(documents: box, hits: hits))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return DocumentServer(channel: channel, documents: box, hits: hits)
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func set(_ path: String, _ document: Document) {
        documents.withLockedValue { $0[path] = document }
    }

    func requests(to path: String) -> Int {
        hits.withLockedValue { $0[path] ?? 0 }
    }

    func stopInBackground() {
        channel.close(promise: nil)
    }
}

private final class DocumentHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let documents: NIOLockedValueBox<[String: DocumentServer.Document]>
    private let hits: NIOLockedValueBox<[String: Int]>
    private var path = ""

    init(documents: NIOLockedValueBox<[String: DocumentServer.Document]>, hits: NIOLockedValueBox<[String: Int]>) {
        self.documents = documents
        self.hits = hits
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            path = head.uri
            hits.withLockedValue { $0[head.uri, default: 0] += 1 }
        case .body:
            break
        case .end:
            // Never answered: the fetch runs into its time limit.
            guard path != "/hang" else { return }
            let document = documents.withLockedValue { $0[path] }
                ?? DocumentServer.Document(status: .notFound, contentType: "text/plain", body: "no such document")
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: document.contentType)
            headers.add(name: "Content-Length", value: String(document.body.utf8.count))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: document.status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: document.body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

@available(*, unavailable) extension DocumentHandler: Sendable {}
