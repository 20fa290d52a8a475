import SluiceModel
import Testing

/// Access-log patterns: every directive, absent values, the time in UTC, and patterns that are refused.
@Suite struct AccessLogFormatTests {
    static let record = AccessLogRecord(
        clientAddress: "192.0.2.7", startMillis: 1_700_000_000_123, method: "POST", uri: "/pizza/1.0.0/order?x=1",
        version: "HTTP/1.0", status: 201, bytes: 0, latencyMicros: 12_345_678, headers: ["curl/8.0", nil],
        user: "alice", api: "admin--Pizza:1.0.0", application: "Shop", correlationID: "c0ffee"
    )

    @Test func everyDirective() throws {
        let format = try AccessLogFormat(
            #"%h %a %l %u %t "%r" %m %U %q %H %s %b %B %D %T %{User-Agent}i %{Referer}i %{api}x %{application}x %{activityid}x 100%%"#
        )
        #expect(format.headerNames == ["User-Agent", "Referer"])
        #expect(
            format.line(Self.record)
                == #"192.0.2.7 192.0.2.7 - alice [14/Nov/2023:22:13:20 +0000] "POST /pizza/1.0.0/order?x=1 HTTP/1.0" "#
                + "POST /pizza/1.0.0/order ?x=1 HTTP/1.0 201 - 0 12345 12.345 curl/8.0 - admin--Pizza:1.0.0 Shop c0ffee 100%"
        )
    }

    @Test func theDefaultLineAndAbsentValues() throws {
        var record = Self.record
        (record.user, record.api, record.application, record.correlationID, record.bytes) = (nil, nil, nil, nil, 512)
        record.version = "HTTP/1.1"
        let line = try AccessLogFormat(AccessLogSettings.defaultFormat).line(record)
        #expect(line == #"192.0.2.7 - - [14/Nov/2023:22:13:20 +0000] "POST /pizza/1.0.0/order?x=1 HTTP/1.1" 201 512 12345 "-" "-" -"#)
    }

    @Test(arguments: [
        (Int64(0), "[01/Jan/1970:00:00:00 +0000]"), (951_782_400_000, "[29/Feb/2000:00:00:00 +0000]"),
        (4_102_444_799_999, "[31/Dec/2099:23:59:59 +0000]"), (-1, "[31/Dec/1969:23:59:59 +0000]"),
    ])
    func timesAreUTC(_ millis: Int64, _ expected: String) throws {
        var record = Self.record
        record.startMillis = millis
        #expect(try AccessLogFormat("%t").line(record) == expected)
    }

    @Test(arguments: ["%", "%z", "%{api}y", "%{User-Agent", "%{}i", "%{nope}x"])
    func badPatternsAreRefused(_ pattern: String) {
        #expect(AccessLogFormat.problem(in: pattern) != nil)
        #expect(throws: AccessLogFormatError.self) { _ = try AccessLogFormat(pattern) }
    }
}
