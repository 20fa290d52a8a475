import Foundation
import NIOCore
import NIOHTTP1
import SluiceMediation
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

    /// The deploy-time parse plus a postfix must name exactly the URL the per-request text join and parse named.
    @Test(arguments: [
        "http://h:9000/bench", "http://h:9000/bench/", "http://h", "http://h/", "http://h?x=1", "http://h/p?x=1",
        "https://[::1]:8443/api", "http://u:s@h:81/a/b/",
    ])
    func appendingAPostfixMatchesJoiningTheText(base: String) throws {
        let parsed = try #require(UpstreamURL(base))
        for postfix in ["", "/", "/1k", "1k", "?q=1", "/a/b?c=d&e", "x@y:9/z", "//double"] {
            let joined = try #require(UpstreamURL(EndpointLeaf.join(base, postfix)))
            #expect(parsed.appending(postfix: postfix) == joined, "\(base) + \(postfix)")
            #expect(parsed.appending(postfix: postfix).target == joined.target)
        }
    }

    @Test func leavesParseStaticURLsAtDeployAndAppendThePostfixPerRequest() throws {
        var context = MessageContext(method: "GET", requestPath: "/chain/1.0.0/1k")
        context[property: "REST_URL_POSTFIX", scope: .axis2] = .string("/1k?a=b")
        let address = EndpointLeaf(name: nil, target: .address(uri: "http://backend:9000/bench"))
        #expect(address.parsedURL(for: context) == UpstreamURL(address.url(for: context)))
        #expect(address.parsedURL(for: context)?.target == "/bench/1k?a=b")
        let soap = EndpointLeaf(name: nil, target: .address(uri: "http://backend:9000/ws"), format: .soap11)
        #expect(soap.parsedURL(for: context)?.target == "/ws")
        let http = EndpointLeaf(name: nil, target: .http(uriTemplate: "http://backend/bench", method: nil))
        #expect(http.parsedURL(for: context) == UpstreamURL(http.url(for: context)))
        // A template with variables, a default endpoint and an unusable URL are built and parsed per request.
        #expect(EndpointLeaf(name: nil, target: .http(uriTemplate: "http://b/{uri.var.id}", method: nil)).staticURL == nil)
        #expect(EndpointLeaf(name: nil, target: .messageTo).parsedURL(for: context) == nil)
        #expect(EndpointLeaf(name: nil, target: .address(uri: "ftp://b/x")).parsedURL(for: context) == nil)
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
