import Foundation
import AsyncHTTPClient
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// The HTTP server: limits, timeouts, keep-alive and pipelining, graceful shutdown.
@Suite(.timeLimit(.minutes(1))) struct GatewayServerTests {
    private func echoAPI(_ backend: TestHTTPBackend, readsBody: Bool = false) -> [String: String] {
        let inMediators = readsBody ? Artifact.bodyReader : ""
        return [
            "api/echo.xml": Artifact.api(
                name: "echo", context: "/echo",
                resources: Artifact.passthrough(endpoint: Artifact.address(backend.baseURL + "/echo"), inMediators: inMediators)
            )
        ]
    }

    @Test func oversizedHeadersGet431() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: echoAPI(backend)) { $0.maxHeaderBytes = 4096 }
        defer { gateway.stopInBackground() }
        let big = String(repeating: "a", count: 6000)
        let (text, closed) = try await RawHTTPClient.exchange(
            "GET /echo/x HTTP/1.1\r\nHost: localhost\r\nX-Big: \(big)\r\n\r\n",
            port: gateway.port
        )
        #expect(text.hasPrefix("HTTP/1.1 431"))
        #expect(closed)
        // The gateway still serves afterwards.
        let ok = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/echo/x")
        #expect(ok.status == 200)
    }

    @Test func bodyLimitsGet413() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        var files = echoAPI(backend, readsBody: true)
        files["api/capped.xml"] = Artifact.api(
            name: "capped", context: "/capped",
            resources: Artifact.passthrough(endpoint: Artifact.address(backend.baseURL + "/echo"))
        )
        let gateway = try await GatewayHarness.start(files: files) {
            $0.maxBufferedBodyBytes = 1024
            $0.maxRequestBodyBytes = 64 * 1024
        }
        defer { gateway.stopInBackground() }
        // A mediator reads the body, so it must fit the buffer.
        let buffered = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/echo/x", body: String(repeating: "b", count: 2048)
        )
        #expect(buffered.status == 413)
        // Streamed bodies pass the buffer limit, but not the absolute one.
        let streamed = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/capped/x", body: String(repeating: "s", count: 32 * 1024)
        )
        #expect(streamed.status == 200)
        #expect(streamed.body.count == 32 * 1024)
        let (text, _) = try await RawHTTPClient.exchange(
            "POST /capped/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n", port: gateway.port
        )
        #expect(text.hasPrefix("HTTP/1.1 413"))
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: echoAPI(backend))
        defer { gateway.stopInBackground() }
        let requests = (1...3).map { "GET /echo/\($0) HTTP/1.1\r\nHost: localhost\r\n\r\n" }.joined()
        let (text, _) = try await RawHTTPClient.exchange(requests, port: gateway.port) { received in
            received.components(separatedBy: "HTTP/1.1 200").count == 4
        }
        let uris = text.split(separator: "\r\n").filter { $0.lowercased().hasPrefix("x-echo-uri") }
        #expect(uris.map { String($0.split(separator: " ").last ?? "") } == ["/echo/1", "/echo/2", "/echo/3"])
    }

    @Test func pipelinedRequestsWithBodiesAndSlowAnswersKeepTheirOrder() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: echoAPI(backend))
        defer { gateway.stopInBackground() }
        // A slow first answer, so the rest arrive (and are held) while it is produced; bodies must not mix.
        var requests = "GET /echo/delay/150 HTTP/1.1\r\nHost: localhost\r\n\r\n"
        for index in 1...20 {
            requests += "POST /echo/\(index) HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\n\r\nbody\(String(format: "%02d", index))"
        }
        let (text, closed) = try await RawHTTPClient.exchange(requests, port: gateway.port) { received in
            received.components(separatedBy: "HTTP/1.1 200").count == 22 && received.hasSuffix("body20")
        }
        let uris = text.split(separator: "\r\n").filter { $0.lowercased().hasPrefix("x-echo-uri") }
        #expect(uris.map { String($0.split(separator: " ").last ?? "") } == ["/echo/delay/150"] + (1...20).map { "/echo/\($0)" })
        for index in 1...20 { #expect(text.contains("body\(String(format: "%02d", index))")) }
        #expect(!closed)
    }

    @Test func pipelinedRequestsAfterAnImmediateAnswerOrAClose() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: echoAPI(backend))
        defer { gateway.stopInBackground() }
        // The gateway answers the first itself (no API): the proxied one behind it still comes second.
        let mixed = "GET /none HTTP/1.1\r\nHost: localhost\r\n\r\nGET /echo/after HTTP/1.1\r\nHost: localhost\r\n\r\n"
        let (mixedText, _) = try await RawHTTPClient.exchange(mixed, port: gateway.port) {
            $0.contains("HTTP/1.1 200") && $0.lowercased().contains("x-echo-uri: /echo/after")
        }
        let notFound = try #require(mixedText.range(of: "HTTP/1.1 404"))
        let proxied = try #require(mixedText.range(of: "HTTP/1.1 200"))
        #expect(notFound.lowerBound < proxied.lowerBound)
        // `Connection: close` on the first: it is answered, the one pipelined behind it is not.
        let closing =
            "GET /echo/1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\nGET /echo/2 HTTP/1.1\r\nHost: localhost\r\n\r\n"
        let (closingText, closed) = try await RawHTTPClient.exchange(closing, port: gateway.port)
        #expect(closingText.components(separatedBy: "HTTP/1.1 200").count == 2, "\(closingText)")
        #expect(!closingText.contains("/echo/2"))
        #expect(closed)
    }

    /// That the idle clock restarts after each response and never runs during a request is
    /// `GatewayChannelHandlerTests.idleClockRestartsAfterEachResponseAndNeverCutsARequest` (virtual time); here,
    /// that the configured timeout reaches the live server's connections.
    @Test func idleTimeoutClosesAKeepAliveConnectionAfterItsRequests() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        // Far above any scheduling delay on a loaded machine, far below the exchange's 30 s.
        let gateway = try await GatewayHarness.start(files: echoAPI(backend)) { $0.idleTimeout = .seconds(2) }
        defer { gateway.stopInBackground() }
        let request = "GET /echo/x HTTP/1.1\r\nHost: localhost\r\n\r\n"
        let (text, closed) = try await RawHTTPClient.exchange(request + request, port: gateway.port)
        #expect(text.components(separatedBy: "HTTP/1.1 200").count == 3)
        #expect(!text.lowercased().contains("connection: close"))
        #expect(closed)
    }

    @Test func expectContinueIsAnsweredByTheGateway() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: echoAPI(backend))
        defer { gateway.stopInBackground() }
        let (text, _) = try await RawHTTPClient.exchange(
            "POST /echo/x HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello",
            port: gateway.port
        ) { $0.hasSuffix("hello") }
        #expect(text.hasPrefix("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK"))
        #expect(text.hasSuffix("\r\n\r\nhello"))
        #expect(backend.recordedRequests.last?.header("Expect") == nil)
    }

    @Test func earlyAnswersToBodilessRequestsKeepTheConnection() async throws {
        let gateway = try await GatewayHarness.start()
        defer { gateway.stopInBackground() }
        let requests = "GET /none/1 HTTP/1.1\r\nHost: localhost\r\n\r\nGET /none/2 HTTP/1.1\r\nHost: localhost\r\n\r\n"
        let (text, closed) = try await RawHTTPClient.exchange(requests, port: gateway.port) {
            $0.components(separatedBy: "HTTP/1.1 404").count == 3 && $0.hasSuffix("</am:fault>")
        }
        #expect(text.components(separatedBy: "HTTP/1.1 404").count == 3)
        #expect(!text.lowercased().contains("connection: close"))
        #expect(!closed)
    }

    @Test func idleAndReadTimeoutsCloseConnections() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        // The deadlines themselves are tested on virtual time (GatewayChannelHandlerTests); these are far above any
        // scheduling delay of a loaded machine (a head arriving late must not count as idle) and far below the
        // exchanges' 30 s, which only a connection that is never closed reaches.
        let gateway = try await GatewayHarness.start(files: echoAPI(backend, readsBody: true)) {
            $0.idleTimeout = .seconds(2)
            $0.readTimeout = .seconds(1)
        }
        defer { gateway.stopInBackground() }
        async let idle = RawHTTPClient.exchange("", port: gateway.port)
        // A head that never ends is cut off like an idle connection.
        async let slowHead = RawHTTPClient.exchange("GET /echo/x HTTP/1.1\r\nHost: loc", port: gateway.port)
        // A body that stops arriving gets 408.
        async let partial = RawHTTPClient.exchange(
            "POST /echo/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nabc", port: gateway.port
        )
        let (idleText, idleClosed) = try await idle
        #expect(idleClosed)
        #expect(idleText.isEmpty)
        #expect(try await slowHead.peerClosed)
        let (partialText, partialClosed) = try await partial
        #expect(partialText.hasPrefix("HTTP/1.1 408"))
        #expect(partialClosed)
    }

    @Test func gracefulShutdownDrainsInFlightRequests() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        // A grace period far beyond the suite's one-minute limit: a drain that waited for it rather than for the
        // request would fail the test by the limit, without any timing assertion here.
        let gateway = try await GatewayHarness.start(files: echoAPI(backend)) { $0.shutdownGracePeriod = .seconds(600) }
        defer { gateway.stopInBackground() }
        async let slow = HTTPClient.shared.send(.GET, gateway.baseURL + "/echo/delay/1000")
        // Stop only once the request is in flight at the backend (not still waiting in the accept queue).
        while backend.recordedRequests.isEmpty { await Task.yield() }
        await gateway.stop()
        // A drain that cut the connection would have failed the request.
        let response = try await slow
        #expect(response.status == 200)
        #expect(response.body == "delayed 1000")
        // Nothing listens any more.
        await #expect(throws: (any Error).self) {
            _ = try await RawHTTPClient.exchange("GET / HTTP/1.1\r\n\r\n", port: gateway.port)
        }
    }
}
