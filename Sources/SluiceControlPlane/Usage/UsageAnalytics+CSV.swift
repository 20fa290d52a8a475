import Foundation
import SluiceModel

extension UsageAnalytics.Report {
    /// The CSV header: one table for every section of the report, so one file opens in a spreadsheet.
    package static let csvHeader = [
        "section", "key", "name", "requests", "errors", "throttled", "avg_ms", "p95_ms", "p99_ms", "backend_avg_ms",
        "backend_p95_ms", "backend_p99_ms",
    ]

    /// The report as CSV (RFC 4180, CRLF line ends): the total, the timeline (key: the interval's start in ISO
    /// 8601), then the APIs, applications, users, status classes, fault codes, tiers and backends.
    package var csv: String {
        var lines = [Self.csvHeader.joined(separator: ",")]
        func add(_ section: String, _ key: String, _ name: String, _ row: UsageStatistics) {
            let figures = [
                row.averageLatencyMillis, row.p95LatencyMillis, row.p99LatencyMillis, row.backendAverageLatencyMillis,
                row.backendP95LatencyMillis, row.backendP99LatencyMillis,
            ].map { String(format: "%.1f", $0) }
            let fields =
                [section, key, name].map(Self.csvField)
                + [String(row.requestCount), String(row.errorCount), String(row.throttledCount)] + figures
            lines.append(fields.joined(separator: ","))
        }
        add("total", "", "all calls", total)
        let formatter = ISO8601DateFormatter()
        for bucket in timeline {
            let start = formatter.string(from: Date(timeIntervalSince1970: Double(bucket.start) / 1000))
            add("timeline", start, start, bucket.statistics)
        }
        for (section, rows) in [
            ("api", apis), ("application", applications), ("user", users), ("status_class", statusClasses),
            ("fault_code", faultCodes), ("tier", tiers), ("backend", backends),
        ] {
            for row in rows { add(section, row.key, row.name, row.statistics) }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A text field: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or `@` (which a
    /// spreadsheet would run as a formula, and application names are chosen by subscribers) gets a `'` first.
    static func csvField(_ text: String) -> String {
        var field = text
        if let first = field.first, "=+-@".contains(first) { field = "'" + field }
        guard field.contains(where: { ",\"\r\n".contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
