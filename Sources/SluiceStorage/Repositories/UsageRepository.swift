public import SluiceModel

/// Usage events written by the gateway's analytics and read back as statistics.
public protocol UsageRepository: Sendable {
    /// Stores events in one transaction.
    /// - Parameter events: The batch, in any order.
    func insertUsageEvents(_ events: [UsageEvent]) async throws
    /// Statistics of the calls that pass `filter`, one row per group, sorted by key.
    /// - Parameters:
    ///   - grouping: What to group by.
    ///   - filter: Time range and optional API, version, application and user.
    func usageStatistics(groupedBy grouping: UsageStatistics.Grouping, filter: UsageStatistics.Filter) async throws
        -> [UsageStatistics]
    /// How many events are stored in the time range (epoch milliseconds, `to` exclusive).
    func usageEventCount(from: Int64, to: Int64) async throws -> Int
}
