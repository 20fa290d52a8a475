/// A credential check the ``LoginThrottle`` refused: too many recent failures for this name from this address,
/// or from this address altogether. Answer 429 with `Retry-After`.
public struct LoginThrottled: Error, Sendable, Hashable, CustomStringConvertible {
    /// Seconds until another attempt may be admitted.
    public var retryAfter: Int

    /// Creates the error.
    public init(retryAfter: Int) {
        self.retryAfter = retryAfter
    }

    public var description: String {
        "Too many failed sign-in attempts; try again in \(retryAfter) second\(retryAfter == 1 ? "" : "s")"
    }
}
