public import SluiceModel

extension UsageStatistics {
    /// The statistics of a group from its rollups' counts merged, as every storage reports them.
    /// - Parameters:
    ///   - key: The group's key.
    ///   - counts: The group's rollups merged.
    public init(key: String, counts: UsageRollup.Counts) {
        self.init(
            key: key,
            requestCount: counts.requests,
            errorCount: counts.errors,
            throttledCount: counts.throttled,
            averageLatencyMillis: counts.latencySumMillis / Double(max(counts.requests, 1)),
            p95LatencyMillis: counts.latencies.percentile(95),
            lastAccessMillis: counts.lastAccessMillis,
            p99LatencyMillis: counts.latencies.percentile(99),
            backendAverageLatencyMillis: counts.backendLatencySumMillis / Double(max(counts.backendCalls, 1)),
            backendP95LatencyMillis: counts.backendLatencies.percentile(95),
            backendP99LatencyMillis: counts.backendLatencies.percentile(99)
        )
    }
}
