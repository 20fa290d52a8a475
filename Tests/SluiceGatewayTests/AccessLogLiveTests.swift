import Foundation
import SluiceMediation
import SluiceModel
import Testing

@testable import SluiceGateway

/// The access log and correlation ids through a running gateway: one record per call with its API, application,
/// status and bytes; the `activityid` taken from the client or made, and passed to the backend.
@Suite(.timeLimit(.minutes(1))) struct AccessLogLiveTests {
    @Test func eachCallIsLoggedAndItsCorrelationIDReachesTheBackend() async throws {
        let accessLog = try GatewayAccessLog(
            settings: AccessLogSettings(enabled: true), makeCorrelationID: { "made-by-gateway" }
        )
        let fixture = try await APIManagerFixture.start(accessLog: accessLog)
        defer { fixture.stopInBackground() }
        let app = try await fixture.application("LogApp", subscription: "Gold")
        #expect(try await fixture.call(token: app.token).status == 200)
        #expect(try await fixture.call(token: app.token, headers: [("activityid", "chosen-by-client")]).status == 200)
        #expect(try await fixture.call(token: "wrong").status == 401)
        #expect(fixture.backend.recordedRequests.map { $0.header("activityid") } == ["made-by-gateway", "chosen-by-client"])

        let records = try #require(accessLog.buffer).drain(maxCount: 10)
        #expect(records.map(\.status) == [200, 200, 401])
        #expect(records.map(\.correlationID) == ["made-by-gateway", "chosen-by-client", "made-by-gateway"])
        #expect(records.map(\.api) == Array(repeating: "admin--PizzaShackAPI:1.0.0", count: 3))
        #expect(records.map(\.application) == ["LogApp", "LogApp", nil])
        #expect(records.map(\.uri) == Array(repeating: "/pizzashack/1.0.0/menu", count: 3))
        // The test backend echoes the (empty) request body; the 401 carries the fault's body.
        #expect(records.map(\.method) == ["GET", "GET", "GET"] && records.map(\.bytes).prefix(2) == [0, 0])
        #expect(records[2].bytes > 0)
        #expect(records[0].clientAddress == "127.0.0.1")
        // The default line: NCSA's common fields, then latency, API, application and correlation id.
        let line = accessLog.format.line(records[2])
        let pattern = #/^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET /pizzashack/1\.0\.0/menu HTTP/1\.1" 401 (\d+) (\d+) "admin--PizzaShackAPI:1\.0\.0" "-" made-by-gateway$/#
        let match = try #require(line.wholeMatch(of: pattern), "\(line)")
        #expect(Int(match.1) == records[2].bytes)
    }

    @Test func correlationIDsWithoutTheLogRecordNothing() async throws {
        let accessLog = try GatewayAccessLog(
            settings: AccessLogSettings(enabled: false, correlationIDs: true), makeCorrelationID: { "made" }
        )
        #expect(accessLog.buffer == nil)
        let fixture = try await APIManagerFixture.start(accessLog: accessLog)
        defer { fixture.stopInBackground() }
        #expect(try await fixture.call(.GET, "/public/x").status == 200)
        #expect(fixture.backend.recordedRequests.map { $0.header("activityid") } == ["made"])
    }
}

/// W3C trace context passes through to the backend as the client sent it, with tracing and the access log off.
@Suite(.timeLimit(.minutes(1))) struct TraceContextPassThroughLiveTests {
    @Test func traceparentAndTracestateReachTheBackendUnchanged() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let answer = try await fixture.call(
            .GET, "/public/x", headers: [("traceparent", traceparent), ("tracestate", "vendor=a1,other=b2")]
        )
        #expect(answer.status == 200)
        let request = try #require(fixture.backend.recordedRequests.first)
        #expect(request.header("traceparent") == traceparent)
        #expect(request.header("tracestate") == "vendor=a1,other=b2")
        // No correlation id is made while correlation ids are off.
        #expect(request.header("activityid") == nil)
    }
}
