import Foundation
import SluiceTesting
import Testing

/// The gateway's connection cap over real sockets (issue #12 item 2): connections past it are closed at once,
/// those inside keep being served, and places free up as connections close.
@Suite(.timeLimit(.minutes(1))) struct GatewayConnectionLimitLiveTests {
    @Test func connectionsOverTheCapAreClosedUnansweredAndPlacesFreeUp() async throws {
        let api = Artifact.api(
            name: "ok", context: "/ok",
            resources: #"<resource methods="GET" url-mapping="/*"><inSequence><respond/></inSequence></resource>"#
        )
        let gateway = try await GatewayHarness.start(files: ["api/ok.xml": api]) { $0.maxConnections = 3 }
        defer { gateway.stopInBackground() }
        let request = "GET /ok/x HTTP/1.1\r\nHost: localhost\r\n\r\n"
        var held: [HeldHTTPConnection] = []
        var outcomes: [Bool] = []
        for _ in 0..<6 {
            let connection = try await HeldHTTPConnection.open(port: gateway.port, request: request)
            held.append(connection)
            outcomes.append(try await connection.outcome())
        }
        #expect(outcomes == [true, true, true, false, false, false])
        for connection in held { await connection.close() }
        var served = false
        while !served {  // bounded by the suite's time limit, not by a guess at how fast the server notices
            let connection = try await HeldHTTPConnection.open(port: gateway.port, request: request)
            served = try await connection.outcome()
            await connection.close()
            if !served { try await Task.sleep(for: .milliseconds(10)) }
        }
    }
}
