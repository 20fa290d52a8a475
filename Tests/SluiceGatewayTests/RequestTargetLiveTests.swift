import Foundation
import SluiceTesting
import Testing

/// Request targets and Host headers over a live gateway (issue #12 items 5 and 10): what an attacker sends with
/// `curl --path-as-is`, so raw bytes rather than an HTTP client that would normalise the path itself.
@Suite(.timeLimit(.minutes(1))) struct RequestTargetLiveTests {
    private static func get(_ path: String, port: Int, headers: String = "Host: localhost\r\n") async throws -> String {
        try await RawHTTPClient.exchange(
            "GET \(path) HTTP/1.1\r\n\(headers)Connection: close\r\n\r\n",
            port: port
        ).text
    }

    @Test func dotSegmentsCannotReachAProtectedResourceThroughAnOpenOne() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        // /public/* has auth type None; /menu needs a token.
        for path in ["/public/../menu", "/public/%2e%2e/menu", "/public/%2E%2E/menu", "/public/./../menu"] {
            let answer = try await Self.get("/pizzashack/1.0.0" + path, port: fixture.gateway.port)
            #expect(answer.hasPrefix("HTTP/1.1 401"), "\(path): \(answer)")
            #expect(answer.contains("900902"), "\(path)")
        }
        #expect(fixture.backend.recordedRequests.isEmpty)
    }

    @Test func theBackendReceivesTheNormalisedPath() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        let answer = try await Self.get("/pizzashack/1.0.0/public/a/./b/../c", port: fixture.gateway.port)
        #expect(answer.hasPrefix("HTTP/1.1 200"))
        #expect(fixture.backend.recordedRequests.map(\.uri) == ["/public/a/c"])
    }

    @Test func pathsLeavingTheAPIOrHidingDotSegmentsGet400() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        for path in [
            "/pizzashack/1.0.0/../../etc/passwd",
            "/pizzashack/1.0.0/public/..%2Fmenu",
            "/pizzashack/1.0.0/public/..%5cmenu",
            "/pizzashack/2.0.0/../1.0.0/menu",
            "/other/../pizzashack/1.0.0/menu",
        ] {
            let answer = try await Self.get(path, port: fixture.gateway.port)
            #expect(answer.hasPrefix("HTTP/1.1 400"), "\(path): \(answer)")
        }
        #expect(fixture.backend.recordedRequests.isEmpty)
    }

    @Test func hostHeadersMissingRepeatedOrWithABadPortGet400() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        let port = fixture.gateway.port
        for headers in ["", "Host: a\r\nHost: a\r\n", "Host: localhost:99999\r\n", "Host: a b\r\n"] {
            let answer = try await Self.get("/pizzashack/1.0.0/public/x", port: port, headers: headers)
            #expect(answer.hasPrefix("HTTP/1.1 400"), "\(headers.debugDescription): \(answer)")
        }
        // HTTP/1.0 may leave Host out.
        let old = try await RawHTTPClient.exchange("GET /pizzashack/1.0.0/public/x HTTP/1.0\r\n\r\n", port: port).text
        #expect(old.hasPrefix("HTTP/1.0 200") || old.hasPrefix("HTTP/1.1 200"), "\(old)")
        #expect(fixture.backend.recordedRequests.count == 1)
    }
}
