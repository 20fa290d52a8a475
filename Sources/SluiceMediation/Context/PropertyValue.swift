/// The value of a message-context property.
///
/// Synapse stores arbitrary Java objects in properties; Sluice keeps the few kinds the `property` mediator's
/// `type=` attribute can produce, so a JSON property inserted by `payloadFactory` stays a JSON value.
public enum PropertyValue: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    case string(String)
    case integer(Int)
    case double(Double)
    case boolean(Bool)
    /// `type="JSON"`: a parsed JSON value.
    case json(JSONValue)
    /// `type="OM"`: serialized XML.
    case xml(String)

    public init(stringLiteral value: String) {
        self = .string(value)
    }

    /// The value as text, as Synapse's `get-property` returns it inside string expressions.
    public var stringValue: String {
        switch self {
        case .string(let text): text
        case .integer(let number): String(number)
        case .double(let number): JSONValue.format(number)
        case .boolean(let flag): flag ? "true" : "false"
        case .json(let value): value.textValue
        case .xml(let text): text
        }
    }

    public var description: String { stringValue }
}
