/// An access-log line pattern, in the `%` directives of Apache's and Tomcat's access logs (WSO2's gateway access
/// log is Tomcat's): `%h` client address, `%l` `-`, `%u` user, `%t` time (`[07/Dec/2026:03:10:00 +0000]`, UTC),
/// `%r` request line, `%m` method, `%U` path, `%q` query (with `?`), `%H` protocol, `%s` status, `%b` body bytes
/// (`-` for none), `%B` body bytes, `%D` latency in milliseconds, `%T` in seconds, `%{Name}i` a request header,
/// and Sluice's `%{api}x`, `%{application}x`, `%{activityid}x` (the correlation id); `%%` is a `%`. Absent values
/// print `-`.
public struct AccessLogFormat: Sendable, Hashable {
    enum Part: Sendable, Hashable {
        case literal(String)
        case client, dash, user, time, requestLine, method, path, query, version, status, bytesOrDash, bytes
        case millis, seconds, api, application, correlationID
        /// The index of the header in ``AccessLogFormat/headerNames``.
        case header(Int)
    }

    let parts: [Part]
    /// The request headers the pattern prints, in `AccessLogRecord.headers` order.
    public let headerNames: [String]

    /// Reads a pattern.
    /// - Throws: ``AccessLogFormatError`` naming an unknown or unfinished directive.
    public init(_ pattern: String) throws(AccessLogFormatError) {
        var parts: [Part] = []
        var headerNames: [String] = []
        var literal = ""
        var index = pattern.startIndex
        func flush() {
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
        }
        while index < pattern.endIndex {
            let character = pattern[index]
            index = pattern.index(after: index)
            guard character == "%" else {
                literal.append(character)
                continue
            }
            guard index < pattern.endIndex else { throw AccessLogFormatError("the pattern ends with a lone %") }
            let directive = pattern[index]
            index = pattern.index(after: index)
            if directive == "%" {
                literal.append("%")
                continue
            }
            flush()
            if directive == "{" {
                guard let close = pattern[index...].firstIndex(of: "}"), pattern.index(after: close) < pattern.endIndex
                else { throw AccessLogFormatError("%{ without a closing } and a kind (i or x)") }
                let name = String(pattern[index..<close])
                let kind = pattern[pattern.index(after: close)]
                index = pattern.index(close, offsetBy: 2)
                switch (kind, name.lowercased()) {
                case ("i", _) where !name.isEmpty:
                    parts.append(.header(headerNames.count))
                    headerNames.append(name)
                case ("x", "api"): parts.append(.api)
                case ("x", "application"): parts.append(.application)
                case ("x", "activityid"): parts.append(.correlationID)
                default: throw AccessLogFormatError("unknown directive %{\(name)}\(kind)")
                }
                continue
            }
            let simple: [Character: Part] = [
                "h": .client, "a": .client, "l": .dash, "u": .user, "t": .time, "r": .requestLine, "m": .method,
                "U": .path, "q": .query, "H": .version, "s": .status, "b": .bytesOrDash, "B": .bytes, "D": .millis,
                "T": .seconds,
            ]
            guard let part = simple[directive] else { throw AccessLogFormatError("unknown directive %\(directive)") }
            parts.append(part)
        }
        flush()
        self.parts = parts
        self.headerNames = headerNames
    }

    /// Why `pattern` is not a format, or nil when it is one.
    public static func problem(in pattern: String) -> String? {
        do {
            _ = try AccessLogFormat(pattern)
            return nil
        } catch {
            return error.message
        }
    }

    /// The line of `record` (without the line end).
    public func line(_ record: AccessLogRecord) -> String {
        var line = ""
        line.reserveCapacity(160)
        func text(_ value: String?) { line += value.flatMap { $0.isEmpty ? nil : $0 } ?? "-" }
        let path = record.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        for part in parts {
            switch part {
            case .literal(let text): line += text
            case .client: text(record.clientAddress)
            case .dash: line += "-"
            case .user: text(record.user)
            case .time: line += Self.timestamp(record.startMillis)
            case .requestLine: line += "\(record.method) \(record.uri) \(record.version)"
            case .method: line += record.method
            case .path: line += path.first.map(String.init) ?? ""
            case .query: line += path.count > 1 ? "?" + path[1] : ""
            case .version: line += record.version
            case .status: line += String(record.status)
            case .bytesOrDash: line += record.bytes == 0 ? "-" : String(record.bytes)
            case .bytes: line += String(record.bytes)
            case .millis: line += String(record.latencyMicros / 1000)
            case .seconds:
                let millis = record.latencyMicros / 1000
                let fraction = String(millis % 1000)
                line += "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
            case .api: text(record.api)
            case .application: text(record.application)
            case .correlationID: text(record.correlationID)
            case .header(let index): text(index < record.headers.count ? record.headers[index] : nil)
            }
        }
        return line
    }

    /// `[07/Dec/2026:03:10:00 +0000]` for epoch milliseconds, in UTC.
    static func timestamp(_ millis: Int64) -> String {
        let date = UTCDateTime(millis: millis)
        return "[\(UTCDateTime.twoDigits(date.day))/\(date.monthAbbreviation)/\(date.year):\(date.timeOfDay) +0000]"
    }
}

/// A pattern the access log cannot use.
public struct AccessLogFormatError: Error, Sendable, Hashable {
    public var message: String

    init(_ message: String) {
        self.message = message
    }
}
