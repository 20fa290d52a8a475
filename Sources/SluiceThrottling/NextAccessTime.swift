import SluiceModel

/// WSO2's `nextAccessTime` text: `yyyy-MMM-dd HH:mm:ss+0000 UTC` (e.g. `2020-Jan-08 16:59:00+0000 UTC`).
public enum NextAccessTime {
    /// Formats epoch milliseconds in UTC.
    /// - Parameter millis: Milliseconds since the Unix epoch.
    /// - Returns: The text WSO2 puts in throttle-out faults.
    public static func format(millis: Int64) -> String {
        let date = UTCDateTime(millis: millis)
        return "\(date.year)-\(date.monthAbbreviation)-\(UTCDateTime.twoDigits(date.day)) \(date.timeOfDay)+0000 UTC"
    }
}
