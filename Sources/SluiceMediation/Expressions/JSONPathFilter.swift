/// A JSONPath filter, the condition of a `[?(...)]` step, compiled once at deploy time.
///
/// The semantics are Jayway JSONPath's (the library Synapse evaluates `json-eval` with): a comparison whose sides
/// are of kinds it does not compare is false rather than an error, a missing member is "undefined" (equal to
/// nothing, so `!=` holds for it), `@.name` alone tests that the member exists (a null member exists).
public indirect enum JSONPathFilter: Sendable, Hashable {
    case and(JSONPathFilter, JSONPathFilter)
    case or(JSONPathFilter, JSONPathFilter)
    case not(JSONPathFilter)
    /// `@.isbn` (expected true) or `!@.isbn` (expected false).
    case exists(Operand, expected: Bool)
    case relation(Operand, Relation, Operand)

    /// Jayway's relational operators that Sluice evaluates.
    public enum Relation: String, Sendable, Hashable, CaseIterable {
        case equal = "=="
        case notEqual = "!="
        case strictEqual = "==="
        case strictNotEqual = "!=="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case matches = "=~"
        case `in` = "in"
        case notIn = "nin"
        case size = "size"
        case empty = "empty"
        case contains = "contains"
        case subsetOf = "subsetof"
        case anyOf = "anyof"
        case noneOf = "noneof"
    }

    /// One side of a relation.
    public enum Operand: Sendable, Hashable {
        /// `@...`: a path from the element being tested.
        case current(JSONPath)
        /// `$...`: a path from the root of the document the whole path is evaluated on.
        case root(JSONPath)
        case literal(JSONValue)
        /// `/regex/flags`, only meaningful beside `=~`.
        case pattern(JSONPathPattern)
    }

    /// Whether the condition holds for `candidate` (an element of the array the filter is applied to, or the
    /// object itself) inside the document `root`.
    public func holds(for candidate: JSONValue, root: JSONValue) -> Bool {
        switch self {
        case .and(let left, let right):
            return left.holds(for: candidate, root: root) && right.holds(for: candidate, root: root)
        case .or(let left, let right):
            return left.holds(for: candidate, root: root) || right.holds(for: candidate, root: root)
        case .not(let inner):
            return !inner.holds(for: candidate, root: root)
        case .exists(let operand, let expected):
            return operand.exists(for: candidate, root: root) == expected
        case .relation(let left, let relation, let right):
            return Self.evaluate(
                relation,
                left.value(for: candidate, root: root),
                right.value(for: candidate, root: root)
            )
        }
    }

    // MARK: - Jayway's evaluators

    /// The value of an operand as Jayway's `ValueNode` sees it: nil is its `UndefinedNode` (a definite path that
    /// selects nothing); an indefinite path gives the array of its matches.
    enum Node {
        case undefined
        case value(JSONValue)
        case pattern(JSONPathPattern)
    }

    private static func evaluate(_ relation: Relation, _ left: Node, _ right: Node) -> Bool {
        switch relation {
        case .equal: return equals(left, right)
        case .notEqual: return !equals(left, right)
        case .strictEqual: return sameKind(left, right) && equals(left, right)
        case .strictNotEqual: return !(sameKind(left, right) && equals(left, right))
        case .less: return order(left, right).map { $0 < 0 } ?? false
        case .lessOrEqual: return order(left, right).map { $0 <= 0 } ?? false
        case .greater: return order(left, right).map { $0 > 0 } ?? false
        case .greaterOrEqual: return order(left, right).map { $0 >= 0 } ?? false
        case .matches: return matches(left, right)
        case .in: return contains(right, left)
        case .notIn: return !contains(right, left)
        case .size: return size(left, right)
        case .empty: return empty(left, right)
        case .contains: return includes(left, right)
        case .subsetOf, .anyOf, .noneOf: return compareLists(relation, left, right)
        }
    }

    /// Jayway's `equals`: numbers by value (a string on the right is read as a number), strings by text (a number
    /// on the right is written as text), arrays and objects by content; undefined equals nothing.
    static func equals(_ left: Node, _ right: Node) -> Bool {
        guard case .value(let leftValue) = left, case .value(let rightValue) = right else {
            if case .pattern(let leftPattern) = left, case .pattern(let rightPattern) = right {
                return leftPattern == rightPattern
            }
            return false
        }
        return valueEquals(leftValue, rightValue)
    }

    private static func valueEquals(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.number(let number), .number(let other)), (.number(let number), .string(let other)):
            guard let value = Double(number), let otherValue = Double(other) else { return false }
            return value == otherValue
        case (.string(let text), .string(let other)), (.string(let text), .number(let other)):
            return text == other
        case (.bool(let flag), .bool(let other)):
            return flag == other
        case (.null, .null):
            return true
        case (.array(let elements), .array(let others)):
            return elements.count == others.count && zip(elements, others).allSatisfy { valueEquals($0, $1) }
        case (.object(let object), .object(let other)):
            guard object.count == other.count else { return false }
            return object.keys.allSatisfy { key in
                guard let member = object[key], let otherMember = other[key] else { return false }
                return valueEquals(member, otherMember)
            }
        default:
            return false
        }
    }

    /// `===` needs both sides of the same kind (Jayway compares the node classes).
    private static func sameKind(_ left: Node, _ right: Node) -> Bool {
        switch (left, right) {
        case (.undefined, .undefined), (.pattern, .pattern): return true
        case (.value(let leftValue), .value(let rightValue)): return kind(of: leftValue) == kind(of: rightValue)
        default: return false
        }
    }

    private static func kind(of value: JSONValue) -> Int {
        switch value {
        case .null: 0
        case .bool: 1
        case .number: 2
        case .string: 3
        case .array, .object: 4
        }
    }

    /// Ordering: two numbers by value, two strings by UTF-16 code units (Java's `compareTo`); anything else
    /// does not compare (nil), which makes `<`, `<=`, `>` and `>=` false.
    private static func order(_ left: Node, _ right: Node) -> Int? {
        guard case .value(let leftValue) = left, case .value(let rightValue) = right else { return nil }
        switch (leftValue, rightValue) {
        case (.number(let number), .number(let other)):
            guard let value = Double(number), let otherValue = Double(other) else { return nil }
            return value < otherValue ? -1 : (value > otherValue ? 1 : 0)
        case (.string(let text), .string(let other)):
            if text == other { return 0 }
            return text.utf16.lexicographicallyPrecedes(other.utf16) ? -1 : 1
        default:
            return nil
        }
    }

    /// `=~`: exactly one side is a pattern; the other side matches as a whole (Java's `Matcher.matches`), an array
    /// when any element does. Strings and numbers match as their text, booleans as `true`/`false`, anything else
    /// as empty text.
    private static func matches(_ left: Node, _ right: Node) -> Bool {
        let pattern: JSONPathPattern
        let subject: Node
        switch (left, right) {
        case (.pattern, .pattern): return false
        case (.pattern(let found), _): (pattern, subject) = (found, right)
        case (_, .pattern(let found)): (pattern, subject) = (found, left)
        default: return false
        }
        if case .value(.array(let elements)) = subject {
            return elements.contains { pattern.matches(matchInput($0)) }
        }
        if case .value(let value) = subject { return pattern.matches(matchInput(value)) }
        return pattern.matches("")
    }

    private static func matchInput(_ value: JSONValue) -> String {
        switch value {
        case .string(let text), .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        default: ""
        }
    }

    /// `size`: a string's length or an array's count equals the number on the right.
    private static func size(_ left: Node, _ right: Node) -> Bool {
        guard case .value(.number(let text)) = right, let expected = Double(text) else { return false }
        switch left {
        case .value(.string(let string)): return Double(string.utf16.count) == expected.rounded(.towardZero)
        case .value(.array(let elements)): return Double(elements.count) == expected.rounded(.towardZero)
        // Jayway gives -1 as the length of an object or a scalar read from the document.
        case .value(.object), .value(.number), .value(.bool), .value(.null): return expected.rounded(.towardZero) == -1
        default: return false
        }
    }

    /// `empty true|false`: strings, arrays and objects; any other value read from the document counts as empty.
    private static func empty(_ left: Node, _ right: Node) -> Bool {
        guard case .value(.bool(let expected)) = right, case .value(let value) = left else { return false }
        switch value {
        case .string(let text): return text.isEmpty == expected
        case .array(let elements): return elements.isEmpty == expected
        case .object(let object): return (object.count == 0) == expected
        default: return expected
        }
    }

    /// `contains`: a substring of a string, or an element of an array.
    private static func includes(_ left: Node, _ right: Node) -> Bool {
        switch (left, right) {
        case (.value(.string(let text)), .value(.string(let part))): return text.contains(part)
        case (.value(.array(let elements)), .value(let wanted)): return elements.contains { valueEquals(wanted, $0) }
        default: return false
        }
    }

    /// `subsetof`, `anyof`, `noneof` between two arrays; false when either side is not one.
    private static func compareLists(_ relation: Relation, _ left: Node, _ right: Node) -> Bool {
        guard case .value(.array(let elements)) = left, case .value(.array(let others)) = right else { return false }
        switch relation {
        case .subsetOf: return elements.allSatisfy { element in others.contains { valueEquals(element, $0) } }
        case .anyOf: return elements.contains { element in others.contains { valueEquals(element, $0) } }
        default: return !elements.contains { element in others.contains { valueEquals(element, $0) } }
        }
    }

    /// `in`: the list side must be an array; an element equal to the value (in Jayway's sense) is a member.
    private static func contains(_ list: Node, _ value: Node) -> Bool {
        guard case .value(.array(let elements)) = list, case .value(let wanted) = value else { return false }
        return elements.contains { valueEquals(wanted, $0) }
    }
}

extension JSONPathFilter.Operand {
    /// The operand's value for one candidate.
    func value(for candidate: JSONValue, root: JSONValue) -> JSONPathFilter.Node {
        switch self {
        case .literal(let value): return .value(value)
        case .pattern(let pattern): return .pattern(pattern)
        case .current(let path): return Self.node(path, from: candidate, root: root)
        case .root(let path): return Self.node(path, from: root, root: root)
        }
    }

    private static func node(_ path: JSONPath, from start: JSONValue, root: JSONValue) -> JSONPathFilter.Node {
        let matches = path.select(in: start, root: root)
        if path.isDefinite { return matches.first.map { .value($0) } ?? .undefined }
        return .value(.array(matches))
    }

    /// True when the path selects something (a member holding null exists).
    func exists(for candidate: JSONValue, root: JSONValue) -> Bool {
        switch self {
        case .current(let path): !path.select(in: candidate, root: root).isEmpty
        case .root(let path): !path.select(in: root, root: root).isEmpty
        case .literal, .pattern: false
        }
    }
}

/// A `/regex/flags` literal of a JSONPath filter, compiled at deploy time.
public struct JSONPathPattern: Sendable, Hashable {
    /// The regex between the slashes.
    public let pattern: String
    /// The flags after the closing slash (Java's `d i x m s u U`).
    public let flags: String
    private let regex: SharedRegex

    /// Compiles the regex; `i`, `m`, `s` and `x` become inline options, `d`, `u` and `U` change nothing in Swift's
    /// regex engine (Unicode-aware already).
    /// - Throws: `JSONPathError` when the regex does not compile.
    init(pattern: String, flags: String, path: String) throws(JSONPathError) {
        self.pattern = pattern
        self.flags = flags
        let options = flags.filter { "imsx".contains($0) }
        do {
            regex = try SharedRegex(options.isEmpty ? pattern : "(?\(options))" + pattern, location: nil)
        } catch {
            let reason = if case .invalidRegex(_, let reason) = error.kind { reason } else { error.description }
            throw JSONPathError(path: path, reason: "invalid regex /\(pattern)/: \(reason)")
        }
    }

    func matches(_ text: String) -> Bool { regex.matches(text) }

    public static func == (left: Self, right: Self) -> Bool {
        left.pattern == right.pattern && left.flags == right.flags
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
        hasher.combine(flags)
    }
}
