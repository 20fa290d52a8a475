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

    public func insertUsageRollups(_ rollups: [UsageRollup]) async throws {
        guard !rollups.isEmpty else { return }
        try await write("usage rollups") { db in
            let keyColumns = """
                minute = ? AND api_name = ? AND api_version = ? AND resource = ? AND http_method = ? AND
                application_id = ? AND username = ? AND status_class = ? AND api_context = ? AND api_provider = ? AND
                fault_code = ? AND tier = ? AND backend = ?
                """
            let existing = try db.cachedStatement(
                sql: "SELECT latency_histogram, backend_latency_histogram FROM usage_rollups WHERE \(keyColumns)"
            )
            let update = try db.cachedStatement(
                sql: """
                    UPDATE usage_rollups SET request_count = request_count + ?, error_count = error_count + ?,
                        throttled_count = throttled_count + ?, latency_sum_ms = latency_sum_ms + ?,
                        latency_histogram = ?, last_access = MAX(last_access, ?), backend_count = backend_count + ?,
                        backend_latency_sum_ms = backend_latency_sum_ms + ?, backend_latency_histogram = ?
                    WHERE \(keyColumns)
                    """
            )
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO usage_rollups
                        (minute, api_name, api_version, resource, http_method, application_id, username, status_class,
                         api_context, api_provider, fault_code, tier, backend, request_count, error_count,
                         throttled_count, latency_sum_ms, latency_histogram, last_access, backend_count,
                         backend_latency_sum_ms, backend_latency_histogram)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for rollup in rollups {
                let key = rollup.key
                let keyArguments: StatementArguments = [
                    key.minute, key.apiName, key.apiVersion, key.resourceTemplate, key.method, key.applicationID,
                    key.username, key.statusClass, key.apiContext, key.apiProvider, key.faultCode, key.tier,
                    key.backend,
                ]
                var counts = rollup.counts
                if let stored = try Row.fetchOne(existing, arguments: keyArguments) {
                    counts.latencies.merge(LatencyHistogram(encoded: stored[0] ?? "") ?? LatencyHistogram())
                    counts.backendLatencies.merge(LatencyHistogram(encoded: stored[1] ?? "") ?? LatencyHistogram())
                    try update.execute(arguments: Self.countArguments(counts) + keyArguments)
                } else {
                    try insert.execute(arguments: keyArguments + Self.countArguments(counts))
                }
            }
        }
    }

    /// The count columns of a rollup, in the order the insert and the update name them.
    private static func countArguments(_ counts: UsageRollup.Counts) -> StatementArguments {
        [
            counts.requests, counts.errors, counts.throttled, counts.latencySumMillis, counts.latencies.encoded,
            counts.lastAccessMillis, counts.backendCalls, counts.backendLatencySumMillis,
            counts.backendLatencies.encoded,
        ]
    }

    public func usageStatistics(
        groupedBy grouping: UsageStatistics.Grouping,
        filter: UsageStatistics.Filter
    ) async throws -> [UsageStatistics] {
        let key = grouping.rollupKeyExpression
        var conditions = ["minute >= ?", "minute < ?"]
        var arguments: [any DatabaseValueConvertible] = [filter.from, filter.to]
        for (column, value) in filter.equalities {
            conditions.append("\(column) = ?")
            arguments.append(value)
        }
        let sql = """
            SELECT \(key) AS grouping_key, \(UsageStatistics.rollupCountColumns)
            FROM usage_rollups WHERE \(conditions.joined(separator: " AND "))
            """
        let statementArguments = StatementArguments(arguments.map { $0.databaseValue })
        // Percentiles need the groups' histograms merged, so the rows are folded here rather than in SQL.
        return try await read { db in
            var groups: [String: UsageRollup.Counts] = [:]
            let rows = try Row.fetchCursor(db, sql: sql, arguments: statementArguments)
            while let row = try rows.next() {
                var counts = UsageRollup.Counts()
                counts.requests = row["request_count"]
                counts.errors = row["error_count"]
                counts.throttled = row["throttled_count"]
                counts.latencySumMillis = row["latency_sum_ms"]
                counts.latencies = LatencyHistogram(encoded: row["latency_histogram"] ?? "") ?? LatencyHistogram()
                counts.lastAccessMillis = row["last_access"]
                counts.backendCalls = row["backend_count"]
                counts.backendLatencySumMillis = row["backend_latency_sum_ms"]
                counts.backendLatencies =
                    LatencyHistogram(encoded: row["backend_latency_histogram"] ?? "") ?? LatencyHistogram()
                groups[row["grouping_key"] ?? "", default: UsageRollup.Counts()].merge(counts)
            }
            return groups.map { UsageStatistics(key: $0.key, counts: $0.value) }.sorted { $0.key < $1.key }
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
                sql: "SELECT COALESCE(SUM(request_count), 0) FROM usage_rollups WHERE minute >= ? AND minute < ?",
                arguments: [from, to]
            ) ?? 0
        }
    }

    public func deleteUsage(rollupsBefore: Int64, eventsBefore: Int64) async throws -> (rollups: Int, events: Int) {
        try await write("usage retention") { db in
            try db.execute(sql: "DELETE FROM usage_rollups WHERE minute < ?", arguments: [rollupsBefore])
            let rollups = db.changesCount
            try db.execute(sql: "DELETE FROM usage_events WHERE request_time < ?", arguments: [Double(eventsBefore) / 1000])
            return (rollups, db.changesCount)
        }
    }

    /// How many raw events are stored in the time range (epoch milliseconds, `to` exclusive).
    public func rawUsageEventCount(from: Int64, to: Int64) async throws -> Int {
        try await read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM usage_events WHERE request_time >= ? AND request_time < ?",
                arguments: [Double(from) / 1000, Double(to) / 1000]
            ) ?? 0
        }
    }
}
