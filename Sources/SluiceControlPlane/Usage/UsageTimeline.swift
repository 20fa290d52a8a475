import SluiceModel
import SluiceStorage

/// Recorded gateway calls over time: a range cut into equal intervals, one statistics row per interval. The
/// Publisher's API usage and the Store's application usage both draw their "requests over time" from it.
package enum UsageTimeline {
    /// One interval of a timeline.
    package struct Bucket: Sendable, Hashable {
        /// Start of the interval, epoch milliseconds.
        package var start: Int64
        /// Calls, errors, throttled calls and latencies in the interval (zeros when there were none).
        package var statistics: UsageStatistics
    }

    /// The most intervals a timeline has.
    package static let maximumBuckets = 200

    /// The timeline of the calls `filter` selects (its `from` and `to` are replaced per interval).
    /// - Parameters:
    ///   - from: Start, epoch milliseconds (inclusive).
    ///   - to: End, epoch milliseconds (exclusive); must be after `from`.
    ///   - buckets: Number of intervals, 1 to ``maximumBuckets``.
    ///   - filter: What to count: an API version, an application...
    ///   - grouping: A grouping under which `filter` selects one group (the API version for an API's calls, the
    ///     application for an application's).
    ///   - key: The statistics key of an empty interval.
    ///   - storage: The usage events.
    /// - Returns: The intervals, oldest first.
    /// - Throws: ``ManagementError`` 400 for a bad range; storage errors.
    package static func buckets(
        from: Int64,
        to: Int64,
        buckets: Int,
        filter: UsageStatistics.Filter,
        grouping: UsageStatistics.Grouping,
        key: String,
        storage: any UsageRepository
    ) async throws -> [Bucket] {
        guard to > from, (1...maximumBuckets).contains(buckets) else {
            throw ManagementError.badRequest("The usage range must end after it starts, in 1 to 200 intervals")
        }
        let width = max(1, (to - from + Int64(buckets) - 1) / Int64(buckets))
        var timeline: [Bucket] = []
        timeline.reserveCapacity(buckets)
        for index in 0..<buckets {
            let start = from + Int64(index) * width
            guard start < to else { break }
            var interval = filter
            interval.from = start
            interval.to = min(to, start + width)
            // One grouped query per interval: the statistics query has no time grouping of its own.
            let row = try await storage.usageStatistics(groupedBy: grouping, filter: interval).first
            timeline.append(
                Bucket(
                    start: start,
                    statistics: row
                        ?? UsageStatistics(
                            key: key,
                            requestCount: 0,
                            errorCount: 0,
                            throttledCount: 0,
                            averageLatencyMillis: 0,
                            p95LatencyMillis: 0,
                            lastAccessMillis: 0
                        )
                )
            )
        }
        return timeline
    }
}
