import Foundation
package import SluiceModel
import SluiceStorage

/// Analytics across APIs, read from the gateway's per-minute usage rollups: traffic over time, the top APIs,
/// applications and users, errors by status class and fault code, throttled calls by tier and latency per API
/// and per backend. The Publisher (an API provider's own APIs), the Admin portal (every API) and the Store (one
/// application's calls) show the same report; the REST API returns it as JSON or CSV.
package enum UsageAnalytics {
    /// One group of calls with the name people read.
    package struct Row: Sendable, Hashable {
        /// The stored key (`provider--Name:version`, an application id, a user, `4`, `101503`, a tier, a URL).
        package var key: String
        /// The key as shown: `Name 1.0.0`, the application's name, `4xx`, `(anonymous)`...
        package var name: String
        package var statistics: UsageStatistics
    }

    /// The report of a time range.
    package struct Report: Sendable, Hashable {
        /// The range, epoch milliseconds (`to` exclusive).
        package var from: Int64
        package var to: Int64
        /// Every call in the range (zeros when there were none).
        package var total: UsageStatistics
        /// Equal intervals covering the range, oldest first.
        package var timeline: [UsageTimeline.Bucket]
        /// Most calls first, at most ``limit`` each.
        package var apis: [Row]
        package var applications: [Row]
        package var users: [Row]
        /// By status class (`2xx`...), in class order.
        package var statusClasses: [Row]
        /// By gateway fault code, calls without one left out; most calls first.
        package var faultCodes: [Row]
        /// By subscription tier, most throttled calls first.
        package var tiers: [Row]
        /// Per backend, most calls first; calls that reached no backend left out.
        package var backends: [Row]
    }

    /// The most rows a top list holds.
    package static let limit = 20

    /// The report of the calls `filter` selects, cut into `buckets` intervals.
    /// - Parameters:
    ///   - filter: Range and filters (API, application, provider).
    ///   - buckets: Intervals of the timeline, 1 to 200.
    ///   - storage: The usage and the applications (for their names).
    /// - Throws: ``ManagementError`` 400 for a bad range; storage errors.
    package static func report(
        filter: UsageStatistics.Filter,
        buckets: Int,
        storage: any APIManagerStorage
    ) async throws -> Report {
        let timeline = try await UsageTimeline.buckets(
            from: filter.from,
            to: filter.to,
            buckets: buckets,
            filter: filter,
            grouping: .total,
            key: "",
            storage: storage
        )
        func rows(_ grouping: UsageStatistics.Grouping) async throws -> [UsageStatistics] {
            try await storage.usageStatistics(groupedBy: grouping, filter: filter)
        }
        let byVersion = try await rows(.version)
        // The total is its own query: percentiles do not add up across groups.
        let total = try await rows(.total).first ?? UsageStatistics(key: "", counts: UsageRollup.Counts())
        var applications: [Row] = []
        for row in top(try await rows(.application), by: \.requestCount) {
            let name =
                row.key.isEmpty
                ? "(no application)" : try await storage.application(id: row.key)?.name ?? "(deleted) \(row.key)"
            applications.append(Row(key: row.key, name: name, statistics: row))
        }
        return Report(
            from: filter.from,
            to: filter.to,
            total: total,
            timeline: timeline,
            apis: top(byVersion, by: \.requestCount).map { Row(key: $0.key, name: apiLabel($0.key), statistics: $0) },
            applications: applications,
            users: top(try await rows(.user), by: \.requestCount).map {
                Row(key: $0.key, name: $0.key.isEmpty ? "(anonymous)" : $0.key, statistics: $0)
            },
            statusClasses: try await rows(.statusClass).sorted { $0.key < $1.key }.map {
                Row(key: $0.key, name: $0.key == "0" ? "(no status)" : "\($0.key)xx", statistics: $0)
            },
            faultCodes: top(try await rows(.faultCode).filter { $0.key != "0" }, by: \.requestCount).map {
                Row(key: $0.key, name: $0.key, statistics: $0)
            },
            tiers: top(try await rows(.tier), by: \.throttledCount).map {
                Row(key: $0.key, name: $0.key.isEmpty ? "(no tier)" : $0.key, statistics: $0)
            },
            backends: top(try await rows(.backend).filter { !$0.key.isEmpty }, by: \.requestCount).map {
                Row(key: $0.key, name: $0.key, statistics: $0)
            }
        )
    }

    /// The gateway records an API as `provider--Name:version`; people read `Name 1.0.0`.
    package static func apiLabel(_ key: String) -> String {
        let name = key.range(of: "--").map { String(key[$0.upperBound...]) } ?? key
        return name.replacingOccurrences(of: ":", with: " ")
    }

    /// The first ``limit`` rows, largest `value` first, ties by key.
    private static func top(_ rows: [UsageStatistics], by value: KeyPath<UsageStatistics, Int>) -> [UsageStatistics] {
        Array(
            rows.sorted { lhs, rhs in
                lhs[keyPath: value] != rhs[keyPath: value] ? lhs[keyPath: value] > rhs[keyPath: value] : lhs.key < rhs.key
            }
            .prefix(limit)
        )
    }
}
