#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time in milliseconds since the Unix epoch, injectable for tests.
public struct EpochClock: Sendable {
    private let read: @Sendable () -> Int64

    /// A clock that reads `read`.
    public init(_ read: @escaping @Sendable () -> Int64) {
        self.read = read
    }

    /// The system's real-time clock.
    public static let system = EpochClock {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }

    /// Milliseconds since the epoch.
    public func millisecondsSinceEpoch() -> Int64 {
        read()
    }

    /// The current time as ISO 8601 UTC with milliseconds, e.g. `2026-11-29T18:40:00.123Z`.
    public func iso8601() -> String {
        formatted("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
    }

    /// The current time in UTC, formatted with the Java `SimpleDateFormat` letters `y M d H m s S` (runs of
    /// the same letter give the zero-padded width; `yy` is the two-digit year) and `'quoted'` literals; other
    /// characters are copied.
    public func formatted(_ pattern: String) -> String {
        let fields = Self.fields(millisecondsSinceEpoch())
        var output = ""
        var characters = Substring(pattern)
        while let character = characters.first {
            if character == "'" {
                characters = characters.dropFirst()
                if characters.first == "'" {
                    output.append("'")
                    characters = characters.dropFirst()
                    continue
                }
                // Inside quotes, '' stands for one quote.
                while let next = characters.first {
                    characters = characters.dropFirst()
                    if next != "'" {
                        output.append(next)
                    } else if characters.first == "'" {
                        output.append("'")
                        characters = characters.dropFirst()
                    } else {
                        break
                    }
                }
                continue
            }
            let run = characters.prefix(while: { $0 == character })
            characters = characters.dropFirst(run.count)
            let value: Int64?
            switch character {
            case "y": value = run.count == 2 ? fields.year % 100 : fields.year
            case "M": value = fields.month
            case "d": value = fields.day
            case "H": value = fields.hour
            case "m": value = fields.minute
            case "s": value = fields.second
            case "S": value = fields.millisecond
            default: value = nil
            }
            if let value {
                let text = String(value)
                output += String(repeating: "0", count: max(0, run.count - text.count)) + text
            } else {
                output += run
            }
        }
        return output
    }

    private struct Fields {
        var year, month, day, hour, minute, second, millisecond: Int64
    }

    private static func fields(_ milliseconds: Int64) -> Fields {
        let seconds = milliseconds.dividedFloor(by: 1000)
        let days = seconds.dividedFloor(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's days-to-civil conversion.
        let shifted = days + 719_468
        let era = shifted.dividedFloor(by: 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return Fields(
            year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
            month: month,
            day: dayOfYear - (153 * monthIndex + 2) / 5 + 1,
            hour: secondOfDay / 3600,
            minute: secondOfDay % 3600 / 60,
            second: secondOfDay % 60,
            millisecond: milliseconds - seconds * 1000
        )
    }
}

extension Int64 {
    /// Division rounding towards negative infinity.
    fileprivate func dividedFloor(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
