/// Why a script did not compile or did not finish.
public struct ScriptError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The source does not compile (a syntax error, with its line).
        case syntax
        /// The script threw.
        case runtime
        /// The script ran past `ScriptLimits.timeLimit`.
        case timeout
        /// The script allocated past `ScriptLimits.memoryLimit`.
        case outOfMemory
    }

    public var kind: Kind
    /// The engine's message, e.g. `ReferenceError: identifier 'x' undefined (line 3)`.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
