/// What a running script's `mc` object and `print` call: the mediation engine implements it over the message.
///
/// Every operation takes strings (nil for `null`/`undefined`) and answers JSON text, so values keep their types
/// (numbers, booleans, objects) across the boundary.
public protocol ScriptHost: AnyObject {
    /// Performs `operation` (`getPayloadJSON`, `setProperty`, `log`...).
    /// - Returns: `.value(json)` (nil: `undefined`) or `.error(message)`, which the script sees as a thrown Error.
    func perform(_ operation: String, _ arguments: [String?]) -> ScriptHostResult
}

/// The answer to one host call.
public enum ScriptHostResult: Sendable {
    /// JSON text of the result; nil for `undefined`.
    case value(String?)
    /// The script gets an `Error` with this message.
    case error(String)
}
