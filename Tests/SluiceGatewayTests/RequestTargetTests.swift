import Testing

@testable import SluiceGateway

/// Request-target parsing: RFC 3986 dot-segment removal (issue #12 item 5) and the targets refused outright.
@Suite struct RequestTargetTests {
    @Test(arguments: [
        ("/a/b/c", "/a/b/c"),
        ("/api/1.0.0/open/../secret", "/api/1.0.0/secret"),
        ("/api/1.0.0/open/%2e%2e/secret", "/api/1.0.0/secret"),
        ("/api/1.0.0/open/%2E%2E/secret", "/api/1.0.0/secret"),
        ("/api/1.0.0/open/.%2E/secret", "/api/1.0.0/secret"),
        ("/api/1.0.0/./open/%2e/x", "/api/1.0.0/open/x"),
        ("/a/b/..", "/a/"),
        ("/a/b/.", "/a/b/"),
        ("/a/..", "/"),
        ("/a//../b", "/a/b"),
        ("/a/.../b", "/a/.../b"),
        ("/a/..b/c", "/a/..b/c"),
        ("/a/%2e%2e%2e", "/a/%2e%2e%2e"),
        ("/a/b%2Fc/d", "/a/b%2Fc/d"),
        ("/1.0.0/v.1/x.y", "/1.0.0/v.1/x.y"),
    ])
    func dotSegmentsAreRemoved(uri: String, path: String) {
        let target = RequestTarget(uri: uri + "?q=1")
        #expect(target.refusal == nil)
        #expect(target.path == path[...])
        #expect(target.query == "q=1")
    }

    @Test(arguments: [
        "/..", "/a/../..", "/a/%2e%2e/%2E%2E/b",
        "/a/..%2Fsecret", "/a/..%2fb", "/a/b%2F..", "/a/%2e%2e%5Cb", "/a/..\\b", "/a/x\\.\\y",
    ])
    func pathsClimbingAboveTheRootOrHidingDotSegmentsAreRefused(uri: String) {
        let target = RequestTarget(uri: uri)
        #expect(target.refusal == .dotSegments)
        #expect(target.path == "/")
    }

    @Test func targetsThatAreNotPathsAreRefused() {
        #expect(RequestTarget(uri: "api/1.0.0/x").refusal == .notAPath)
        #expect(RequestTarget(uri: "*").refusal == nil)
        #expect(RequestTarget(uri: "http://host/a/../b").path == "/b")
    }

    @Test func dotSegmentsMayMoveWithinAnAPINeverOutOfIt() {
        let inside = RequestTarget(uri: "/api/1.0.0/open/../secret")
        #expect(inside.stays(within: "/api/1.0.0"))
        let across = RequestTarget(uri: "/api/1.0.0/../../other/1.0.0/x")
        #expect(across.path == "/other/1.0.0/x")
        #expect(!across.stays(within: "/other/1.0.0"))
        let intoVersion = RequestTarget(uri: "/api/2.0.0/../1.0.0/x")
        #expect(!intoVersion.stays(within: "/api/1.0.0"))
        #expect(RequestTarget(uri: "/api/1.0.0/x").stays(within: "/api/1.0.0"))
        #expect(RequestTarget(uri: "/api/1.0.0/../../etc/passwd").climbs)
        #expect(!RequestTarget(uri: "/api/1.0.0/./x").climbs)
    }
}
