/// Usage written by the gateway's analytics and read back as statistics.
///
/// The gateway writes per-minute rollups (``UsageRollup``), which every statistic reads; raw per-request events
/// are written only when switched on (sampled), for drill-downs. A minute counts in a time range when its start
/// falls in the range.
///
/// The protocol lives with the values it stores, not in `SluiceStorage`, so the gateway's analytics write usage
/// without linking the database stack (GRDB, SQLite); the storage modules implement it.
public protocol UsageRepository: Sendable {
    /// Stores raw events in one transaction.
    /// - Parameter events: The batch, in any order.
    func insertUsageEvents(_ events: [UsageEvent]) async throws
    /// Adds rollups to the stored ones in one transaction: counts of the same minute and key are summed.
    /// - Parameter rollups: The batch, in any order (a key may appear more than once).
    func insertUsageRollups(_ rollups: [UsageRollup]) async throws
    /// Statistics of the calls that pass `filter`, one row per group, sorted by key.
    /// - Parameters:
    ///   - grouping: What to group by.
    ///   - filter: Time range and optional API, version, application and user.
    func usageStatistics(groupedBy grouping: UsageStatistics.Grouping, filter: UsageStatistics.Filter) async throws
        -> [UsageStatistics]
    /// How many calls were recorded in the time range (epoch milliseconds, `to` exclusive).
    func usageEventCount(from: Int64, to: Int64) async throws -> Int
    /// Deletes the rollups of minutes before `rollupsBefore` and the raw events before `eventsBefore` (epoch
    /// milliseconds).
    /// - Returns: How many rollup rows and raw events were deleted.
    func deleteUsage(rollupsBefore: Int64, eventsBefore: Int64) async throws -> (rollups: Int, events: Int)
}

extension UsageRepository {
    /// Stores calls as the gateway does with every call sampled: counted in the rollups, and kept as raw events
    /// (imports, backfills, tests).
    /// - Parameter events: The calls, in any order.
    public func recordUsage(_ events: [UsageEvent]) async throws {
        try await insertUsageRollups(UsageRollup.rollUp(events))
        try await insertUsageEvents(events)
    }
}
