import Foundation
import PostgresNIO
public import SluiceModel
public import SluiceStorage

extension PostgresStorage: UsageRepository {
    public func insertUsageEvents(_ events: [UsageEvent]) async throws {
        guard !events.isEmpty else { return }
        try await write("usage events") { connection in
            // Multi-row inserts, as many rows per statement as the protocol's 65,535 parameters allow.
            var start = 0
            while start < events.count {
                let batch = events[start..<min(start + Self.usageRowsPerStatement, events.count)]
                try await connection.run(Self.usageInsert(batch), logger: logger)
                start += batch.count
            }
        }
    }

    private static let usageColumnCount = 25
    private static let usageRowsPerStatement = 2_000

    private static func usageInsert(_ events: ArraySlice<UsageEvent>) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: events.count * usageColumnCount)
        var rows: [String] = []
        rows.reserveCapacity(events.count)
        for event in events {
            let first = bindings.count + 1
            rows.append("(" + (first..<first + usageColumnCount).map { "$\($0)" }.joined(separator: ",") + ")")
            bindings.append(Double(event.requestTime) / 1000)
            bindings.append(event.apiName)
            bindings.append(event.apiContext)
            bindings.append(event.apiVersion)
            bindings.append(event.apiProvider)
            bindings.append(event.resourceTemplate)
            bindings.append(event.method)
            bindings.append(event.consumerKey)
            bindings.append(event.applicationID)
            bindings.append(event.applicationName)
            bindings.append(event.applicationOwner)
            bindings.append(event.username)
            bindings.append(event.keyType)
            bindings.append(Int64(event.responseCode))
            bindings.append(event.responseTimeMillis)
            bindings.append(event.backendTimeMillis)
            bindings.append(event.responseSize.map(Int64.init))
            bindings.append(event.throttledOutReason != nil)
            bindings.append(event.throttledOutReason)
            bindings.append(event.errorCode.map(Int64.init))
            bindings.append(event.clientIP)
            bindings.append(event.userAgent)
            bindings.append(event.hostName)
            bindings.append(event.resourcePath)
            bindings.append(event.requestSize.map(Int64.init))
        }
        return PostgresQuery(
            unsafeSQL: """
                INSERT INTO usage_events
                    (request_time, api_name, api_context, api_version, api_provider, resource, http_method,
                     consumer_key, application_id, application_name, application_owner, username, key_type,
                     response_code, response_time_ms, backend_time_ms, response_size, throttled_out,
                     throttled_out_reason, error_code, client_ip, user_agent, gateway_host, resource_path, request_size)
                VALUES \(rows.joined(separator: ","))
                """,
            binds: bindings
        )
    }

    public func usageStatistics(
        groupedBy grouping: UsageStatistics.Grouping,
        filter: UsageStatistics.Filter
    ) async throws -> [UsageStatistics] {
        let key = grouping.sqlExpression
        var bindings = PostgresBindings()
        bindings.append(Double(filter.from) / 1000)
        bindings.append(Double(filter.to) / 1000)
        var conditions = ["request_time >= $1", "request_time < $2"]
        for (column, value) in [
            ("api_name", filter.apiName), ("api_version", filter.apiVersion),
            ("application_id", filter.applicationID), ("username", filter.username),
        ] {
            guard let value else { continue }
            bindings.append(value)
            conditions.append("\(column) = $\(bindings.count)")
        }
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT \(key), response_code, error_code, throttled_out, response_time_ms, request_time
                FROM usage_events WHERE \(conditions.joined(separator: " AND "))
                """,
            binds: bindings
        )
        // Percentiles need every latency of a group, so the rows are folded here rather than in SQL.
        return try await read { connection in
            var groups: [String: UsageGroup] = [:]
            for try await row in try await connection.query(query, logger: logger) {
                let (name, code, errorCode, throttled, latency, time) = try row.decode(
                    (String?, Int?, Int?, Bool, Double?, Double).self
                )
                groups[name ?? "", default: UsageGroup()].add(
                    code: code, errorCode: errorCode, throttled: throttled, latency: latency ?? 0, time: time
                )
            }
            return groups.map { $0.value.statistics(key: $0.key) }.sorted { $0.key < $1.key }
        }
    }

    public func usageEventCount(from: Int64, to: Int64) async throws -> Int {
        try await read { connection in
            try await connection.rows(
                """
                SELECT COUNT(*) FROM usage_events
                WHERE request_time >= \(Double(from) / 1000) AND request_time < \(Double(to) / 1000)
                """,
                logger: logger
            )[0].decode(Int.self)
        }
    }
}

/// The calls of one statistics group, folded row by row.
private struct UsageGroup {
    var count = 0
    var errors = 0
    var throttled = 0
    var latencies: [Double] = []
    var last = 0.0

    mutating func add(code: Int?, errorCode: Int?, throttled isThrottled: Bool, latency: Double, time: Double) {
        count += 1
        if (code ?? 0) >= 400 || errorCode != nil { errors += 1 }
        if isThrottled { throttled += 1 }
        latencies.append(latency)
        last = max(last, time)
    }

    func statistics(key: String) -> UsageStatistics {
        let sorted = latencies.sorted()
        return UsageStatistics(
            key: key,
            requestCount: count,
            errorCount: errors,
            throttledCount: throttled,
            averageLatencyMillis: sorted.reduce(0, +) / Double(max(sorted.count, 1)),
            p95LatencyMillis: UsageStatistics.percentile(sorted, 95),
            lastAccessMillis: Int64((last * 1000).rounded())
        )
    }
}
