import Foundation

/// A value a Synapse Expression computes, with the types Synapse's `ExpressionResult` tells apart: Java's 32-bit
/// `int` and 64-bit `long` are different types there (`2147483647 + 1` becomes a long), and a division of ints that
/// leaves a fraction becomes a double.
enum SynapseValue: Sendable, Hashable {
    case null
    case string(String)
    /// A Java int: always within `Int32`'s range.
    case int(Int64)
    case long(Int64)
    case double(Double)
    case bool(Bool)
    /// A JSON object or array (primitives read from JSON become the cases above).
    case json(JSONValue)
    /// What `xpath(...)` selected.
    case xml(XPathResult)
    /// One XML element held as markup (a `type="XML"` variable), printed as its markup.
    case element(String)

    /// A whole number as the narrowest of int and long.
    static func integer(_ value: Int64) -> SynapseValue {
        value >= Int64(Int32.min) && value <= Int64(Int32.max) ? .int(value) : .long(value)
    }

    /// A JSON value as Synapse reads it from a payload or variable: primitives unboxed, JSON `null` as null.
    init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .string(let text): self = .string(text)
        case .number(let text): self = Self.number(text) ?? .string(text)
        case .array, .object: self = .json(json)
        }
    }

    /// Text that reads as a number becomes an int, long or double, as Synapse reads headers and properties;
    /// anything else stays a string.
    static func parsingNumber(_ text: String) -> SynapseValue {
        number(text) ?? .string(text)
    }

    private static func number(_ text: String) -> SynapseValue? {
        if let value = Int64(text) { return .integer(value) }
        // Java's Double.parseDouble accepts what JSON numbers and decimal literals look like; we refuse the
        // words Swift also accepts ("nan", "inf") so a header saying "inf" stays a string.
        guard let first = text.first, first.isNumber || first == "-" || first == "+" || first == "." else { return nil }
        return Double(text).map(SynapseValue.double)
    }

    // MARK: - Types, as ExpressionResult's is... methods answer

    var isNull: Bool { self == .null }
    var isString: Bool { if case .string = self { true } else { false } }
    var isInteger: Bool { if case .int = self { true } else { false } }
    var isLong: Bool { if case .long = self { true } else { false } }
    var isDouble: Bool { if case .double = self { true } else { false } }
    var isNumeric: Bool { isInteger || isLong || isDouble }
    var isBoolean: Bool { if case .bool = self { true } else { false } }

    /// A JSON array, or a string holding one.
    var isArray: Bool { arrayValue != nil }
    /// A JSON object, or a string holding one.
    var isObject: Bool { objectValue != nil }

    var arrayValue: [JSONValue]? {
        switch self {
        case .json(.array(let elements)): return elements
        case .string(let text):
            if case .array(let elements)? = Self.parseEmbeddedJSON(text) { return elements }
            return nil
        default: return nil
        }
    }

    var objectValue: JSONObject? {
        switch self {
        case .json(.object(let object)): return object
        case .string(let text):
            if case .object(let object)? = Self.parseEmbeddedJSON(text) { return object }
            return nil
        default: return nil
        }
    }

    /// JSON written inside a string, read as Synapse's `ExpressionResult` reads it: surrounding quotes and every
    /// backslash dropped first (so `"{\"a\":1}"` written in an expression is an object).
    private static func parseEmbeddedJSON(_ text: String) -> JSONValue? {
        var inner = Substring(text)
        if inner.count >= 2, inner.first == "\"", inner.last == "\"" { inner = inner.dropFirst().dropLast() }
        return try? JSONParser.parse(String(inner).replacing("\\", with: ""))
    }

    var doubleValue: Double? {
        switch self {
        case .int(let value), .long(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    var integerValue: Int64? {
        switch self {
        case .int(let value), .long(let value): value
        default: nil
        }
    }

    /// The value as JSON, for arrays built from values and for JSON variables.
    var jsonValue: JSONValue {
        switch self {
        case .null: .null
        case .string(let text): .string(text)
        case .int(let value), .long(let value): .number(String(value))
        case .double(let value): .number(Self.javaString(value))
        case .bool(let flag): .bool(flag)
        case .json(let value): value
        case .xml(let result): .string(result.stringValue)
        case .element(let markup): .string(markup)
        }
    }

    /// The value as text, as `ExpressionResult.asString` and `SynapseExpression.stringValueOf` give it: doubles
    /// as Java prints them (`9.0`, `2.0E9`), JSON as compact JSON text, nil for null.
    var stringValue: String? {
        switch self {
        case .null: nil
        case .string(let text): text
        case .int(let value), .long(let value): String(value)
        case .double(let value): Self.javaString(value)
        case .bool(let flag): flag ? "true" : "false"
        case .json(let value): value.description
        case .xml(let result): result.stringValue
        case .element(let markup): markup
        }
    }

    /// `Double.toString` of Java: plain digits with at least one fraction digit between 10^-3 and 10^7, else
    /// computerized scientific notation (`1.0E-4`, `2.0E9`); the shortest digits that read back, as Swift's.
    static func javaString(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let magnitude = Swift.abs(value)
        let sign = value < 0 ? "-" : ""
        let (digits, exponent) = shortestDigits(magnitude)
        if magnitude >= 1e-3 && magnitude < 1e7 {
            // exponent: the power of ten of the first digit.
            if exponent >= 0 {
                let integerDigits = exponent + 1
                let whole = digits.count >= integerDigits
                    ? String(digits.prefix(integerDigits))
                    : digits + String(repeating: "0", count: integerDigits - digits.count)
                let fraction = digits.count > integerDigits ? String(digits.dropFirst(integerDigits)) : "0"
                return sign + whole + "." + fraction
            }
            return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
        }
        let fraction = digits.count > 1 ? String(digits.dropFirst()) : "0"
        return sign + String(digits.prefix(1)) + "." + fraction + "E" + String(exponent)
    }

    /// The shortest significant digits of a positive finite double (no leading or trailing zeros) and the
    /// power of ten of the first one, read from Swift's shortest round-trip description.
    private static func shortestDigits(_ value: Double) -> (String, Int) {
        let text = "\(value)"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...].replacing("+", with: "")) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = whole + fraction
        var pointPosition = whole.count + exponent
        while digits.first == "0" && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" && digits.count > 1 { digits.removeLast() }
        return (digits, pointPosition - 1)
    }
}
