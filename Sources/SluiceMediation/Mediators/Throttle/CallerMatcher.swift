/// A rule's caller id compiled at deploy time: the address itself, an IPv4 range `a - b`, or a `*` pattern.
struct CallerMatcher: Sendable {
    private enum Form: Sendable {
        case exact
        case range(ClosedRange<UInt32>)
        case pattern([Substring])
    }

    private let id: String
    private let form: Form

    init(_ id: String) {
        self.id = id
        if id.contains("-") {
            let bounds = id.split(separator: "-").map { String($0).trimmingSpaces() }
            if bounds.count == 2, let low = Self.number(bounds[0]), let high = Self.number(bounds[1]), low <= high {
                form = .range(low...high)
            } else {
                form = .exact
            }
        } else if id.contains("*") {
            form = .pattern(id.split(separator: "."))
        } else {
            form = .exact
        }
    }

    /// Whether an IPv4 address matches: the id itself, inside the range, or part by part against the pattern.
    func matches(_ address: String) -> Bool {
        if id == address { return true }
        switch form {
        case .exact:
            return false
        case .range(let range):
            guard let value = Self.number(address) else { return false }
            return range.contains(value)
        case .pattern(let pattern):
            let parts = address.split(separator: ".")
            return pattern.count == parts.count && zip(pattern, parts).allSatisfy { $0 == "*" || $0 == $1 }
        }
    }

    private static func number(_ address: String) -> UInt32? {
        let parts = address.split(separator: ".").compactMap { UInt8($0) }
        guard parts.count == 4 else { return nil }
        return parts.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
