import NIOHTTP1
import SluiceGateway
import Testing

/// Which address is the client's (issue #12 item 11): the peer, unless the peer is a trusted proxy.
@Suite struct TrustedProxiesTests {
    @Test func withoutTrustedProxiesThePeerIsTheClient() {
        let headers = HTTPHeaders([("X-Forwarded-For", "192.0.2.1")])
        #expect(TrustedProxies.none.clientAddress(peer: "198.51.100.4", headers: headers) == "198.51.100.4")
    }

    @Test func anUntrustedPeerIsTheClientWhateverItForwards() throws {
        let proxies = try TrustedProxies(["10.0.0.0/8"])
        let headers = HTTPHeaders([("X-Forwarded-For", "192.0.2.1")])
        #expect(proxies.clientAddress(peer: "198.51.100.4", headers: headers) == "198.51.100.4")
    }

    @Test func aTrustedPeerNamesTheRightMostUntrustedHop() throws {
        let proxies = try TrustedProxies(["10.0.0.0/8", "2001:db8::/32", "192.168.1.1"])
        let headers = HTTPHeaders([("X-Forwarded-For", "1.1.1.1, 203.0.113.5"), ("x-forwarded-for", " 10.2.3.4 ,192.168.1.1")])
        #expect(proxies.clientAddress(peer: "10.0.0.1", headers: headers) == "203.0.113.5")
        #expect(proxies.clientAddress(peer: "2001:db8::7", headers: headers) == "203.0.113.5")
        #expect(proxies.clientAddress(peer: "::ffff:10.0.0.1", headers: headers) == "203.0.113.5")
        let allTrusted = HTTPHeaders([("X-Forwarded-For", "10.9.9.9, 10.8.8.8")])
        #expect(proxies.clientAddress(peer: "10.0.0.1", headers: allTrusted) == "10.9.9.9")
        #expect(proxies.clientAddress(peer: "10.0.0.1", headers: HTTPHeaders()) == "10.0.0.1")
    }

    @Test func prefixesMatchBitByBit() throws {
        let proxies = try TrustedProxies(["172.16.0.0/12", "0.0.0.0/0"].dropLast() + ["fd00::/8"])
        #expect(proxies.isTrusted("172.31.255.255"))
        #expect(!proxies.isTrusted("172.32.0.0"))
        #expect(proxies.isTrusted("fdff::1"))
        #expect(!proxies.isTrusted("fe00::1"))
        #expect(!proxies.isTrusted("not-an-address"))
        #expect(try TrustedProxies(["0.0.0.0/0"]).isTrusted("8.8.8.8"))
    }

    @Test(arguments: ["10.0.0.0/33", "10.0.0/8", "example.com", "::1/129", "10.0.0.1/", ""])
    func invalidEntriesAreRefused(entry: String) {
        #expect(throws: TrustedProxies.InvalidEntry.self) { try TrustedProxies([entry]) }
    }
}
