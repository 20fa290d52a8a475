/// Response times counted per millisecond, so percentiles over any set of rollups come out exactly as they would
/// from the raw events (the gateway measures whole milliseconds). From one second up, times are kept to three
/// significant digits (1,234 ms counts as 1,230), which bounds a histogram to about 3,700 distinct values.
///
/// Stored as text, `millis=count` pairs in ascending order: `"0=12,1=40,3=2"`.
public struct LatencyHistogram: Sendable, Hashable {
    /// Count per bucket value (milliseconds).
    public private(set) var counts: [Int: Int]

    /// An empty histogram.
    public init() {
        counts = [:]
    }

    /// Counts one response time.
    public mutating func record(millis: Double) {
        counts[Self.bucket(millis), default: 0] += 1
    }

    /// Adds every count of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        counts.merge(other.counts, uniquingKeysWith: +)
    }

    /// How many times were counted.
    public var total: Int { counts.values.reduce(0, +) }

    /// The nearest-rank percentile (0 for an empty histogram), as `UsageStatistics.percentile` computes it over
    /// the raw values.
    public func percentile(_ percentile: Double) -> Double {
        let total = total
        guard total > 0 else { return 0 }
        let rank = min(max(Int((percentile / 100 * Double(total)).rounded(.up)), 1), total)
        var seen = 0
        for (value, count) in counts.sorted(by: { $0.key < $1.key }) {
            seen += count
            if seen >= rank { return Double(value) }
        }
        return Double(counts.keys.max() ?? 0)
    }

    /// The bucket a response time counts in: whole milliseconds, three significant digits from 1,000 ms.
    public static func bucket(_ millis: Double) -> Int {
        guard millis.isFinite, millis > 0 else { return 0 }
        let whole = Int(min(millis, 1e15).rounded())
        guard whole >= 1_000 else { return whole }
        var scale = 1
        while whole / scale >= 1_000 { scale *= 10 }
        return (whole + scale / 2) / scale * scale
    }

    /// The stored form.
    public var encoded: String {
        counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// Reads the stored form; nil when it is not one.
    public init?(encoded text: String) {
        var counts: [Int: Int] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let value = Int(parts[0]), let count = Int(parts[1]), value >= 0, count >= 0 else {
                return nil
            }
            counts[value, default: 0] += count
        }
        self.counts = counts
    }
}
