/// A JSON value as the mediation runtime reads and writes it.
///
/// Numbers keep their original text so a payload passes through a mediator without losing precision, and
/// objects keep their member order so rewritten payloads look like the ones that came in.
public enum JSONValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// The number exactly as written (valid JSON number syntax).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Compact JSON text.
    public var description: String {
        var output = ""
        write(to: &output)
        return output
    }

    /// The value as plain text: a string without quotes, anything else as JSON text.
    public var textValue: String {
        if case .string(let text) = self { return text }
        return description
    }

    /// Looks up an object member; nil for other kinds.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// Appends the compact JSON text of this value.
    public func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let text): output += text
        case .string(let text): Self.writeQuoted(text, to: &output)
        case .array(let elements):
            output += "["
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output += "," }
                element.write(to: &output)
            }
            output += "]"
        case .object(let object):
            output += "{"
            for (offset, key) in object.keys.enumerated() {
                if offset > 0 { output += "," }
                Self.writeQuoted(key, to: &output)
                output += ":"
                object.values[key, default: .null].write(to: &output)
            }
            output += "}"
        }
    }

    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var output = ""
        writeQuoted(text, to: &output)
        return output
    }

    static func writeQuoted(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// A double as JSON number text: integral values without a fraction, as Java prints longs.
    static func format(_ number: Double) -> String {
        if number.isFinite, number == number.rounded(), abs(number) < 1e15 {
            return String(Int64(number))
        }
        return String(number)
    }
}

/// A JSON object that remembers the order its members were written in.
public struct JSONObject: Sendable, Hashable {
    /// Member names in document order, each once.
    public private(set) var keys: [String]
    /// Members by name.
    public private(set) var values: [String: JSONValue]

    /// An empty object.
    public init() {
        keys = []
        values = [:]
    }

    /// Gets a member, or sets one (a new name goes last; nil removes it).
    public subscript(key: String) -> JSONValue? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// The number of members.
    public var count: Int { keys.count }
}
