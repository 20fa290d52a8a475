import SluiceModel
import Testing

/// Per-minute rollups and their latency histograms: counts, buckets, the stored form, exact percentiles.
@Suite struct UsageRollupTests {
    static func event(at time: Int64, code: Int = 200, latency: Double = 5, app: String? = "a1", throttled: Bool = false)
        -> UsageEvent
    {
        UsageEvent(
            requestTime: time, apiName: "admin--Pizza", apiContext: "/pizza/1.0.0", apiVersion: "1.0.0",
            resourceTemplate: "/menu", resourcePath: "/menu", method: "GET", applicationID: app, username: "bob",
            responseCode: code, responseTimeMillis: latency,
            throttledOutReason: throttled ? "SUBSCRIPTION_LIMIT_EXCEEDED" : nil
        )
    }

    @Test func minutesStartOnTheMinute() {
        #expect(UsageRollup.minute(of: 1_700_000_000_000) == 1_699_999_980_000)
        #expect(UsageRollup.minute(of: 1_699_999_980_000) == 1_699_999_980_000)
        #expect(UsageRollup.minute(of: 59_999) == 0)
        #expect(UsageRollup.minute(of: -1) == -60_000)
    }

    @Test func callsOfTheSameMinuteAndKeyAreCountedTogether() throws {
        let minute: Int64 = 1_699_999_980_000
        let rollups = UsageRollup.rollUp([
            Self.event(at: minute + 1, latency: 3),
            Self.event(at: minute + 59_999, code: 503, latency: 9),
            Self.event(at: minute + 2, code: 429, latency: 1, throttled: true),
            Self.event(at: minute + 60_000, latency: 4),
            Self.event(at: minute + 5, latency: 2, app: nil),
        ])
        // Every call lands in its own rollup: three status classes, the next minute, and no application.
        #expect(rollups.count == 5)
        let ok = try #require(rollups.first { $0.key.statusClass == 2 && $0.key.minute == minute && $0.key.applicationID == "a1" })
        #expect(ok.counts.requests == 1 && ok.counts.errors == 0)
        let failed = try #require(rollups.first { $0.key.statusClass == 5 })
        #expect(failed.counts.errors == 1 && failed.counts.lastAccessMillis == minute + 59_999)
        let refused = try #require(rollups.first { $0.key.statusClass == 4 })
        #expect(refused.counts.throttled == 1 && refused.counts.errors == 1)
        let anonymous = try #require(rollups.first { $0.key.applicationID.isEmpty })
        #expect(anonymous.key.username == "bob")
        #expect(rollups.reduce(0) { $0 + $1.counts.requests } == 5)
    }

    @Test func histogramBucketsAreWholeMillisecondsThenThreeDigits() {
        #expect(LatencyHistogram.bucket(0) == 0)
        #expect(LatencyHistogram.bucket(-3) == 0)
        #expect(LatencyHistogram.bucket(.nan) == 0)
        #expect(LatencyHistogram.bucket(12.4) == 12)
        #expect(LatencyHistogram.bucket(999) == 999)
        #expect(LatencyHistogram.bucket(1_234) == 1_230)
        #expect(LatencyHistogram.bucket(98_765) == 98_800)
        #expect(LatencyHistogram.bucket(.infinity) == 0)
    }

    @Test func histogramPercentilesMatchTheRawNearestRank() {
        var histogram = LatencyHistogram()
        var values: [Double] = []
        var state: UInt64 = 42
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = Double((state >> 33) % 400)
            values.append(value)
            histogram.record(millis: value)
        }
        let sorted = values.sorted()
        for percentile in [1.0, 50, 95, 99, 100] {
            #expect(histogram.percentile(percentile) == UsageStatistics.percentile(sorted, percentile))
        }
        #expect(LatencyHistogram().percentile(95) == 0)
    }

    @Test func histogramsMergeAndSurviveTheirStoredForm() throws {
        var first = LatencyHistogram()
        for value in [1.0, 1, 7, 2_500] { first.record(millis: value) }
        var second = LatencyHistogram()
        second.record(millis: 7)
        first.merge(second)
        #expect(first.encoded == "1=2,7=2,2500=1")
        let read = try #require(LatencyHistogram(encoded: first.encoded))
        #expect(read == first && read.total == 5)
        #expect(LatencyHistogram(encoded: "") == LatencyHistogram())
        #expect(LatencyHistogram(encoded: "1=2,x=3") == nil)
        #expect(LatencyHistogram(encoded: "1=-2") == nil)
        #expect(LatencyHistogram(encoded: "1:2") == nil)
    }
}
