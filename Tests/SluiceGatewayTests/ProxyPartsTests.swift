import Foundation
import NIOCore
import NIOHTTP1
import SluiceModel
import Testing

@testable import SluiceGateway

/// Pure pieces of the proxy: URL parsing, hop-by-hop headers, request targets, the status report.
@Suite struct ProxyPartsTests {
    @Test func upstreamURLsSplitIntoHostPortAndTarget() throws {
        let plain = try #require(UpstreamURL("http://backend.local:9000/pizzashack/menu?x=1"))
        #expect(plain.host == "backend.local" && plain.port == 9000 && plain.target == "/pizzashack/menu?x=1")
        #expect(plain.hostHeader == "backend.local:9000")
        let defaults = try #require(UpstreamURL("http://example.com"))
        #expect(defaults.port == 80 && defaults.target == "/" && defaults.hostHeader == "example.com")
        let ipv6 = try #require(UpstreamURL("http://[::1]:8080?q"))
        #expect(ipv6.host == "::1" && ipv6.port == 8080 && ipv6.target == "/?q" && ipv6.hostHeader == "[::1]:8080")
        #expect(UpstreamURL("https://secure")?.port == 443)
        #expect(UpstreamURL("ftp://x") == nil)
        #expect(UpstreamURL("http://host:notaport/") == nil)
    }

    @Test func upstreamURLEdgeCases() throws {
        let upper = try #require(UpstreamURL("HTTP://Backend:8080"))
        #expect(upper.scheme == "http" && upper.host == "Backend" && upper.target == "/")
        let credentials = try #require(UpstreamURL("http://user:secret@db.local:81/x"))
        #expect(credentials.host == "db.local" && credentials.port == 81 && credentials.target == "/x")
        #expect(UpstreamURL("https://[::1]/p")?.hostHeader == "[::1]")
        #expect(UpstreamURL("https://h:8443/p")?.hostHeader == "h:8443")
        #expect(UpstreamURL("http://h:80/p")?.hostHeader == "h")
        #expect(UpstreamURL("http://h/p%20q?a=1&b=%2F")?.target == "/p%20q?a=1&b=%2F")
        #expect(UpstreamURL("http://h:0/") == nil)
        #expect(UpstreamURL("http://h:65536/") == nil)
        #expect(UpstreamURL("http://h:99999999999999999999999/") == nil)
        #expect(UpstreamURL("http://:80/") == nil)
        #expect(UpstreamURL("http:/h/") == nil)
        #expect(UpstreamURL("http//h/") == nil)
        #expect(UpstreamURL("") == nil)
    }

    @Test func hostHeadersSplitIntoLowerCasedNameAndPort() {
        #expect(UpstreamRequestBuilder.splitHost("API.Example.com:8280") == ("api.example.com", 8280))
        #expect(UpstreamRequestBuilder.splitHost("api.example.com") == ("api.example.com", nil))
        #expect(UpstreamRequestBuilder.splitHost("[::1]:80") == ("[::1]", 80))
        #expect(UpstreamRequestBuilder.splitHost("[FE80::1]") == ("[fe80::1]", nil))
        #expect(UpstreamRequestBuilder.splitHost("host:notaport") == ("host", nil))
        #expect(UpstreamRequestBuilder.splitHost("") == (nil, nil))
        #expect(UpstreamRequestBuilder.splitHost(nil) == (nil, nil))
    }

    @Test func hopByHopHeadersAreRemovedIncludingConnectionTokens() {
        var headers = HTTPHeaders([
            ("Connection", "close, X-Private"), ("X-Private", "1"), ("Keep-Alive", "timeout=5"),
            ("Transfer-Encoding", "chunked"), ("Upgrade", "h2c"), ("TE", "trailers"), ("Content-Type", "text/plain"),
        ])
        #expect(HopByHopHeaders.isChunked(headers))
        HopByHopHeaders.remove(from: &headers)
        #expect(headers.map(\.name) == ["Content-Type"])
    }

    @Test func requestTargetsDecodeQueries() {
        let target = RequestTarget(uri: "/a/b?x=1&y=a+b&z=%2F&flag")
        #expect(target.path == "/a/b")
        #expect(target.queryParameters.map(\.name) == ["x", "y", "z", "flag"])
        #expect(target.queryParameters.map(\.value) == ["1", "a b", "/", ""])
        #expect(RequestTarget(uri: "http://host:1/p?q").path == "/p")
        #expect(RequestTarget(uri: "?only").path == "/")
        #expect(RequestTarget(uri: "/caf\u{E9}/x?q=\u{E9}").query == "q=\u{E9}")
        #expect(RequestTarget(uri: "/p?").query == "")
        #expect(RequestTarget(uri: "http://host").path == "/")
        #expect(PercentEncoding.decode("%41%zz%4") == "A%zz%4")
    }

    @Test func statusReportRoundTripsThroughJSON() throws {
        let status = DeploymentStatus(
            generation: 3,
            files: [
                .init(
                    path: "/r/api/a.xml", folder: "api", state: .failed, artifacts: ["a"],
                    diagnostics: [.init(file: "/r/api/a.xml", line: 4, column: 7, message: "unknown handler class 'X'")],
                    servingPreviousVersion: true
                )
            ]
        )
        let decoded = try JSONDecoder().decode(DeploymentStatus.self, from: JSONEncoder().encode(status))
        #expect(decoded == status)
        #expect(decoded.errorLines == ["/r/api/a.xml:4:7: unknown handler class 'X'"])
    }

    @Test func durationsConvertToNanoseconds() {
        #expect(Duration.milliseconds(1500).nanoseconds == 1_500_000_000)
        #expect(Duration.seconds(2).nanoseconds == 2_000_000_000)
    }
}
