import Foundation
import GRDB
public import SluiceModel

extension SQLiteStorage: UsageRepository {
    public func insertUsageEvents(_ events: [UsageEvent]) async throws {
        guard !events.isEmpty else { return }
        try await write("usage events") { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO usage_events
                        (request_time, api_name, api_context, api_version, api_provider, resource, http_method,
                         consumer_key, application_id, application_name, application_owner, username, key_type,
                         response_code, response_time_ms, backend_time_ms, response_size, throttled_out,
                         throttled_out_reason, error_code, client_ip, user_agent, gateway_host, resource_path,
                         request_size)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for event in events {
                try statement.execute(arguments: [
                    Double(event.requestTime) / 1000, event.apiName, event.apiContext, event.apiVersion,
                    event.apiProvider, event.resourceTemplate, event.method, event.consumerKey, event.applicationID,
                    event.applicationName, event.applicationOwner, event.username, event.keyType, event.responseCode,
                    event.responseTimeMillis, event.backendTimeMillis, event.responseSize,
                    event.throttledOutReason == nil ? 0 : 1, event.throttledOutReason, event.errorCode, event.clientIP,
                    event.userAgent, event.hostName, event.resourcePath, event.requestSize,
                ])
            }
        }
    }

    public func usageStatistics(
        groupedBy grouping: UsageStatistics.Grouping,
        filter: UsageStatistics.Filter
    ) async throws -> [UsageStatistics] {
        let key: String =
            switch grouping {
            case .api: "api_name"
            case .version: "api_name || ':' || api_version"
            case .application: "COALESCE(application_id, '')"
            case .user: "COALESCE(username, '')"
            case .resource: "api_name || ':' || api_version || ' ' || http_method || ' ' || resource"
            }
        var conditions = ["request_time >= ?", "request_time < ?"]
        var arguments: [(any DatabaseValueConvertible)?] = [Double(filter.from) / 1000, Double(filter.to) / 1000]
        for (column, value) in [
            ("api_name", filter.apiName), ("api_version", filter.apiVersion),
            ("application_id", filter.applicationID), ("username", filter.username),
        ] {
            guard let value else { continue }
            conditions.append("\(column) = ?")
            arguments.append(value)
        }
        let sql = """
            SELECT \(key) AS grouping_key, response_code, error_code, throttled_out, response_time_ms, request_time
            FROM usage_events WHERE \(conditions.joined(separator: " AND "))
            """
        let statementArguments = StatementArguments(arguments.map { $0?.databaseValue ?? .null })
        // Percentiles need every latency of a group, so the rows are folded here rather than in SQL.
        return try await read { db in
            var groups: [String: (count: Int, errors: Int, throttled: Int, latencies: [Double], last: Double)] = [:]
            let rows = try Row.fetchCursor(db, sql: sql, arguments: statementArguments)
            while let row = try rows.next() {
                let name: String = row["grouping_key"] ?? ""
                let code: Int? = row["response_code"]
                let errorCode: Int? = row["error_code"]
                let throttled: Bool = row["throttled_out"] ?? false
                let latency: Double = row["response_time_ms"] ?? 0
                let time: Double = row["request_time"] ?? 0
                var group = groups[name] ?? (0, 0, 0, [], 0)
                group.count += 1
                if (code ?? 0) >= 400 || errorCode != nil { group.errors += 1 }
                if throttled { group.throttled += 1 }
                group.latencies.append(latency)
                group.last = max(group.last, time)
                groups[name] = group
            }
            return groups.map { name, group in
                let sorted = group.latencies.sorted()
                return UsageStatistics(
                    key: name,
                    requestCount: group.count,
                    errorCount: group.errors,
                    throttledCount: group.throttled,
                    averageLatencyMillis: sorted.reduce(0, +) / Double(max(sorted.count, 1)),
                    p95LatencyMillis: UsageStatistics.percentile(sorted, 95),
                    lastAccessMillis: Int64((group.last * 1000).rounded())
                )
            }
            .sorted { $0.key < $1.key }
        }
    }

    /// The stored usage events of a time range, oldest first, at most `limit` of them (for drill-downs and checks
    /// of what the gateway recorded).
    /// - Parameters:
    ///   - from: Start, epoch milliseconds (inclusive).
    ///   - to: End, epoch milliseconds (exclusive).
    ///   - limit: The most events returned.
    public func usageEvents(from: Int64, to: Int64, limit: Int = 1_000) async throws -> [UsageEvent] {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM usage_events WHERE request_time >= ? AND request_time < ?
                    ORDER BY request_time, id LIMIT ?
                    """,
                arguments: [Double(from) / 1000, Double(to) / 1000, max(0, limit)]
            )
            return rows.map { row in
                let seconds: Double = row["request_time"]
                return UsageEvent(
                    requestTime: Int64((seconds * 1000).rounded()),
                    apiName: row["api_name"],
                    apiContext: row["api_context"],
                    apiVersion: row["api_version"],
                    apiProvider: row["api_provider"],
                    resourceTemplate: row["resource"],
                    resourcePath: row["resource_path"] ?? "",
                    method: row["http_method"],
                    applicationID: row["application_id"],
                    applicationName: row["application_name"],
                    applicationOwner: row["application_owner"],
                    consumerKey: row["consumer_key"],
                    username: row["username"],
                    keyType: row["key_type"],
                    clientIP: row["client_ip"],
                    userAgent: row["user_agent"],
                    hostName: row["gateway_host"],
                    responseCode: row["response_code"] ?? 0,
                    responseTimeMillis: row["response_time_ms"] ?? 0,
                    backendTimeMillis: row["backend_time_ms"],
                    requestSize: row["request_size"],
                    responseSize: row["response_size"],
                    throttledOutReason: row["throttled_out_reason"],
                    errorCode: row["error_code"]
                )
            }
        }
    }

    public func usageEventCount(from: Int64, to: Int64) async throws -> Int {
        try await read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM usage_events WHERE request_time >= ? AND request_time < ?",
                arguments: [Double(from) / 1000, Double(to) / 1000]
            ) ?? 0
        }
    }
}
