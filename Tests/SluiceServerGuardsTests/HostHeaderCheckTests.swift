import NIOHTTP1
import SluiceServerGuards
import Testing

/// RFC 9112 §3.2 Host rules shared by the gateway and the management server (issue #12 item 10).
@Suite struct HostHeaderCheckTests {
    private func head(_ version: HTTPVersion = .http1_1, hosts: [String]) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        for host in hosts { headers.add(name: "Host", value: host) }
        return HTTPRequestHead(version: version, method: .GET, uri: "/", headers: headers)
    }

    @Test(arguments: [
        "example.com", "example.com:8280", "127.0.0.1", "127.0.0.1:0", "[::1]", "[::1]:65535", "[fe80::1%25eth0]:1",
        "", "host:", "xn--bcher-kva.example", "a_b.example:443",
    ])
    func validHostsPass(host: String) {
        #expect(HostHeaderCheck.problem(in: head(hosts: [host])) == nil)
    }

    @Test(arguments: [
        "example.com:99999", "example.com:65536", "example.com:-1", "example.com:80a", "example.com:123456",
        "a b", "a/b", "a@b", "user@host:80", "[::1", "[]:80", "[::1]x", "[::1]:99999", "host:80:80", "é.example",
    ])
    func malformedHostsAreRefused(host: String) {
        #expect(HostHeaderCheck.problem(in: head(hosts: [host])) == .malformed)
    }

    @Test func http11NeedsExactlyOneHost() {
        #expect(HostHeaderCheck.problem(in: head(hosts: [])) == .missing)
        #expect(HostHeaderCheck.problem(in: head(hosts: ["a", "a"])) == .repeated)
        var headers = HTTPHeaders([("host", "a"), ("HOST", "b")])
        headers.add(name: "X-Host", value: "c")
        #expect(HostHeaderCheck.problem(in: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: headers)) == .repeated)
    }

    @Test func http10MayOmitHostButNotRepeatOrBreakIt() {
        #expect(HostHeaderCheck.problem(in: head(.http1_0, hosts: [])) == nil)
        #expect(HostHeaderCheck.problem(in: head(.http1_0, hosts: ["a", "b"])) == .repeated)
        #expect(HostHeaderCheck.problem(in: head(.http1_0, hosts: ["a:99999"])) == .malformed)
    }
}
