import Foundation
import PostgresNIO
public import SluiceModel
import SluiceStorage

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

    public func insertUsageRollups(_ rollups: [UsageRollup]) async throws {
        guard !rollups.isEmpty else { return }
        // Gateways of a cluster add to the same rows: one upsert per rollup, which locks its row and merges the
        // histograms in SQL (pairs summed per bucket, ascending, as `LatencyHistogram.encoded` writes them). Rows
        // are taken in one order so two gateways' batches cannot deadlock.
        let ordered = rollups.sorted { Self.sortKey($0.key).lexicographicallyPrecedes(Self.sortKey($1.key)) }
        try await write("usage rollups") { connection in
            for rollup in ordered {
                let (key, counts) = (rollup.key, rollup.counts)
                try await connection.run(
                    """
                    INSERT INTO usage_rollups
                        (minute, api_name, api_version, resource, http_method, application_id, username, status_class,
                         api_context, api_provider, fault_code, tier, backend, request_count, error_count,
                         throttled_count, latency_sum_ms, latency_histogram, last_access, backend_count,
                         backend_latency_sum_ms, backend_latency_histogram)
                    VALUES (\(key.minute), \(key.apiName), \(key.apiVersion), \(key.resourceTemplate), \(key.method),
                            \(key.applicationID), \(key.username), \(Int64(key.statusClass)), \(key.apiContext),
                            \(key.apiProvider), \(Int64(key.faultCode)), \(key.tier), \(key.backend),
                            \(Int64(counts.requests)), \(Int64(counts.errors)), \(Int64(counts.throttled)),
                            \(counts.latencySumMillis), \(counts.latencies.encoded), \(counts.lastAccessMillis),
                            \(Int64(counts.backendCalls)), \(counts.backendLatencySumMillis),
                            \(counts.backendLatencies.encoded))
                    ON CONFLICT (minute, api_name, api_version, resource, http_method, application_id, username,
                                 status_class, api_context, api_provider, fault_code, tier, backend)
                    DO UPDATE SET request_count = usage_rollups.request_count + EXCLUDED.request_count,
                        error_count = usage_rollups.error_count + EXCLUDED.error_count,
                        throttled_count = usage_rollups.throttled_count + EXCLUDED.throttled_count,
                        latency_sum_ms = usage_rollups.latency_sum_ms + EXCLUDED.latency_sum_ms,
                        last_access = GREATEST(usage_rollups.last_access, EXCLUDED.last_access),
                        latency_histogram = sluice_merge_histograms(
                            usage_rollups.latency_histogram, EXCLUDED.latency_histogram),
                        backend_count = usage_rollups.backend_count + EXCLUDED.backend_count,
                        backend_latency_sum_ms = usage_rollups.backend_latency_sum_ms + EXCLUDED.backend_latency_sum_ms,
                        backend_latency_histogram = sluice_merge_histograms(
                            usage_rollups.backend_latency_histogram, EXCLUDED.backend_latency_histogram)
                    """,
                    logger: logger
                )
            }
        }
    }

    public func usageStatistics(
        groupedBy grouping: UsageStatistics.Grouping,
        filter: UsageStatistics.Filter
    ) async throws -> [UsageStatistics] {
        let key = grouping.rollupKeyExpression
        var bindings = PostgresBindings()
        bindings.append(filter.from)
        bindings.append(filter.to)
        var conditions = ["minute >= $1", "minute < $2"]
        for (column, value) in filter.equalities {
            bindings.append(value)
            conditions.append("\(column) = $\(bindings.count)")
        }
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT \(key), \(UsageStatistics.rollupCountColumns)
                FROM usage_rollups WHERE \(conditions.joined(separator: " AND "))
                """,
            binds: bindings
        )
        // Percentiles need the groups' histograms merged, so the rows are folded here rather than in SQL.
        return try await read { connection in
            var groups: [String: UsageRollup.Counts] = [:]
            for try await row in try await connection.query(query, logger: logger) {
                let (
                    name, requests, errors, throttled, latencySum, histogram, lastAccess, backendCalls, backendSum,
                    backendHistogram
                ) = try row.decode((String, Int64, Int64, Int64, Double, String, Int64, Int64, Double, String).self)
                var counts = UsageRollup.Counts()
                counts.requests = Int(requests)
                counts.errors = Int(errors)
                counts.throttled = Int(throttled)
                counts.latencySumMillis = latencySum
                counts.latencies = LatencyHistogram(encoded: histogram) ?? LatencyHistogram()
                counts.lastAccessMillis = lastAccess
                counts.backendCalls = Int(backendCalls)
                counts.backendLatencySumMillis = backendSum
                counts.backendLatencies = LatencyHistogram(encoded: backendHistogram) ?? LatencyHistogram()
                groups[name, default: UsageRollup.Counts()].merge(counts)
            }
            return groups.map { UsageStatistics(key: $0.key, counts: $0.value) }.sorted { $0.key < $1.key }
        }
    }

    public func usageEventCount(from: Int64, to: Int64) async throws -> Int {
        try await read { connection in
            try await connection.rows(
                """
                SELECT COALESCE(SUM(request_count), 0)::BIGINT FROM usage_rollups
                WHERE minute >= \(from) AND minute < \(to)
                """,
                logger: logger
            )[0].decode(Int.self)
        }
    }

    public func deleteUsage(rollupsBefore: Int64, eventsBefore: Int64) async throws -> (rollups: Int, events: Int) {
        try await write("usage retention") { connection in
            let rollups = try await connection.rows(
                "DELETE FROM usage_rollups WHERE minute < \(rollupsBefore) RETURNING 1",
                logger: logger
            ).count
            let events = try await connection.rows(
                "DELETE FROM usage_events WHERE request_time < \(Double(eventsBefore) / 1000) RETURNING 1",
                logger: logger
            ).count
            return (rollups, events)
        }
    }

    /// The columns of a rollup's key, in the order rows are locked.
    private static func sortKey(_ key: UsageRollup.Key) -> [String] {
        [
            String(key.minute), key.apiName, key.apiVersion, key.resourceTemplate, key.method, key.applicationID,
            key.username, String(key.statusClass), key.apiContext, key.apiProvider, String(key.faultCode), key.tier,
            key.backend,
        ]
    }
}
