import NIOCore

/// The database a mediator's `<connection>` names, resolved once at deploy: a pool of its own (a driver Sluice
/// lacks, or a URL its driver refuses, deploys with a warning and faults at run time, as Synapse's DBCP fails the
/// first connection), or a datasource of the node (unknown: a warning, and a fault until the node declares it, as
/// WSO2's mediator looks the name up again per message).
struct DatabaseResolution {
    let client: any DatabaseClient
    /// The URL or datasource name the faults mention.
    let name: String

    init(_ connection: DatabaseConnection, compilation: inout MediatorCompilation) throws(MediationCompileError) {
        switch connection {
        case .pool(let pool):
            let driver = try Self.text(pool.driver, compilation)
            let url = try Self.text(pool.url, compilation)
            name = Self.redactingPassword(url)
            guard let kind = DatabaseTarget.drivers[driver] else {
                compilation.warn(
                    "the JDBC driver \(driver) is not available in Sluice; the mediator faults at runtime as Synapse "
                        + "does when the driver is missing (Sluice has org.postgresql.Driver and org.sqlite.JDBC)"
                )
                client = UnavailableDatabase(reason: "Cannot load JDBC driver class '\(driver)'")
                return
            }
            guard let target = DatabaseTarget(jdbcURL: url), target.kind == kind else {
                compilation.warn(
                    "the JDBC driver \(driver) does not accept the URL '\(url)'; the mediator faults at runtime"
                )
                client = UnavailableDatabase(
                    reason: "Cannot create JDBC driver of class '\(driver)' for connect URL '\(url)'"
                )
                return
            }
            var properties: [String: String] = [:]
            for property in pool.properties { properties[property.name.lowercased()] = property.value }
            let settings = DatabasePoolSettings(
                target: target,
                url: url,
                user: try Self.text(pool.user, compilation),
                password: try Self.text(pool.password, compilation),
                properties: properties
            )
            client = compilation.databases?.openPool(settings) ?? Self.noAccess
        case .dataSource(let reference):
            name = reference.name
            guard let databases = compilation.databases else {
                client = Self.noAccess
                return
            }
            guard let found = databases.dataSource(named: reference.name) else {
                compilation.warn(
                    "the datasource '\(reference.name)' is not declared on this node (<DataSources> in "
                        + "repository/conf/api-manager.xml); the mediator faults until it is"
                )
                client = UnavailableDatabase(reason: "DataSource : \(reference.name) not found")
                return
            }
            client = found
        }
    }

    /// The URL as faults show it (the client may see them): a `password=` parameter is redacted.
    static func redactingPassword(_ url: String) -> String {
        url.replacing(#/(?i)password=[^&;]*/#, with: "password=<redacted>")
    }

    /// Compiling without a connector (`sluice validate`): nothing runs, nothing is opened.
    private static let noAccess = UnavailableDatabase(reason: "this process has no database access")

    private static func text(
        _ setting: DatabaseConnection.Setting,
        _ compilation: MediatorCompilation
    ) throws(MediationCompileError) -> String {
        switch setting {
        case .value(let text): text
        case .key(let key): try compilation.resourceText(forKey: key, usedFor: "a database pool setting")
        }
    }
}

extension DatabaseTarget {
    /// The kind of URL, as `drivers` names it.
    var kind: String {
        switch self {
        case .postgresql: "postgresql"
        case .sqlite: "sqlite"
        }
    }
}

extension SQLValue {
    /// Converts a parameter's text as Synapse's `AbstractDBMediator` does for its JDBC type: an empty or missing
    /// value is NULL, `BIT` is true only for "true", numbers and dates must parse.
    /// - Throws: `StatementError` naming the parameter (Java's parse failure).
    init(_ text: String?, as type: JDBCType, position: Int) throws(StatementError) {
        guard let text, !text.isEmpty else {
            self = .null
            return
        }
        let invalid = StatementError(
            statement: 0,
            message: "parameter \(position): '\(text)' is not a valid \(type.rawValue)"
        )
        switch type {
        case .char, .varchar, .longVarchar:
            self = .text(text)
        case .numeric, .decimal:
            guard Self.isDecimal(text) else { throw invalid }
            self = .decimal(text)
        case .bit:
            self = .boolean(text.lowercased() == "true")
        case .tinyInt:
            guard let value = Int8(text) else { throw invalid }
            self = .integer(Int64(value))
        case .smallInt:
            guard let value = Int16(text) else { throw invalid }
            self = .integer(Int64(value))
        case .integer:
            guard let value = Int32(text) else { throw invalid }
            self = .integer(Int64(value))
        case .bigInt:
            guard let value = Int64(text) else { throw invalid }
            self = .integer(value)
        case .real, .float, .double:
            guard let value = Double(text), value.isFinite else { throw invalid }
            self = .real(value)
        case .date:
            guard let date = Self.date(Substring(text)) else { throw invalid }
            self = .date(date)
        case .time:
            guard let time = Self.time(Substring(text)) else { throw invalid }
            self = .time(time)
        case .timestamp:
            let parts = text.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, let date = Self.date(parts[0]) else { throw invalid }
            let clock = parts[1].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard let time = Self.time(clock[0]) else { throw invalid }
            var fraction = ""
            if clock.count == 2 {
                guard (1...9).contains(clock[1].count), clock[1].allSatisfy(\.isASCIIDigit) else { throw invalid }
                fraction = "." + clock[1]
            }
            self = .timestamp(date + " " + time + fraction)
        }
    }

    /// `java.math.BigDecimal`'s syntax: sign, digits with an optional point, optional exponent.
    private static func isDecimal(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
        let mantissa = rest.prefix { $0 != "e" && $0 != "E" }
        let exponent = rest.dropFirst(mantissa.count)
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard pieces.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }), pieces.contains(where: { !$0.isEmpty }) else {
            return false
        }
        guard !exponent.isEmpty else { return true }
        return Int32(exponent.dropFirst().trimmingPrefix("+")) != nil && exponent.count > 1
    }

    /// `java.sql.Date.valueOf`: `yyyy-[m]m-[d]d`, written back zero-padded.
    private static func date(_ text: Substring) -> String? {
        let fields = text.split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0].count == 4,
            let year = Int(fields[0]), let month = Int(fields[1]), let day = Int(fields[2]),
            fields[1].count <= 2, fields[2].count <= 2, year > 0, (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return fields[0] + "-" + Self.twoDigits(month) + "-" + Self.twoDigits(day)
    }

    /// `java.sql.Time.valueOf`: `hh:mm:ss`.
    private static func time(_ text: Substring) -> String? {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, fields.allSatisfy({ (1...2).contains($0.count) }),
            let hour = Int(fields[0]), let minute = Int(fields[1]), let second = Int(fields[2]),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        return Self.twoDigits(hour) + ":" + Self.twoDigits(minute) + ":" + Self.twoDigits(second)
    }

    private static func twoDigits(_ number: Int) -> String {
        number < 10 ? "0\(number)" : String(number)
    }
}

/// The `?` placeholders of JDBC statement text, outside quoted text, quoted names and comments (`??` is a literal
/// question mark, as the PostgreSQL JDBC driver reads it).
public enum JDBCPlaceholders {
    /// How many placeholders the SQL has.
    public static func count(in sql: String) -> Int {
        var count = 0
        _ = rewrite(sql) { _ in
            count += 1
            return "?"
        }
        return count
    }

    /// The SQL with each placeholder numbered as PostgreSQL writes them (`$1`, `$2`...).
    public static func numbered(_ sql: String) -> String {
        var next = 0
        return rewrite(sql) { _ in
            next += 1
            return "$\(next)"
        }
    }

    private static func rewrite(_ sql: String, placeholder: (Int) -> String) -> String {
        var output = ""
        output.reserveCapacity(sql.utf8.count + 8)
        let characters = Array(sql)
        var index = 0
        var found = 0
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "'", "\"":
                // Quoted text or name, with doubled quotes inside.
                var end = index + 1
                while end < characters.count {
                    if characters[end] == character {
                        if end + 1 < characters.count && characters[end + 1] == character { end += 2 } else { break }
                    } else {
                        end += 1
                    }
                }
                let stop = min(end, characters.count - 1)
                output.append(contentsOf: characters[index...stop])
                index = stop + 1
            case "-" where next == "-":
                let end = characters[index...].firstIndex(of: "\n") ?? characters.count
                output.append(contentsOf: characters[index..<end])
                index = end
            case "/" where next == "*":
                var end = index + 2
                while end + 1 < characters.count && !(characters[end] == "*" && characters[end + 1] == "/") { end += 1 }
                let stop = min(end + 2, characters.count)
                output.append(contentsOf: characters[index..<stop])
                index = stop
            case "?" where next == "?":
                output.append("?")
                index += 2
            case "?":
                found += 1
                output += placeholder(found)
                index += 1
            default:
                output.append(character)
                index += 1
            }
        }
        return output
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
