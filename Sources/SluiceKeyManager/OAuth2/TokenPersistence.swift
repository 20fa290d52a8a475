/// When an issued token is stored, relative to the answer that hands it out.
///
/// Write-behind is the default: the token endpoint answers from memory (the validation index knows the token at
/// once) and the rows follow within a few milliseconds, many tokens per transaction. What a crash can lose is the
/// tokens answered in that window: their holders get `401` at the gateway and ask again, as they do for an expired
/// token. Revocation, introspection, refresh and every other reader of stored tokens first waits for the writes
/// already accepted, so none of them misses a token the endpoint has answered. `docs/security.md` states this.
///
/// A cluster must store before answering: other nodes find a new token by reading the shared database.
public enum TokenPersistence: Sendable, Hashable {
    /// A token is answered once the transaction holding its row committed (those issued meanwhile share it).
    case beforeAnswer
    /// A token is answered at once; its row is stored within `maximumDelay`, or as soon as `batchSize` tokens
    /// wait. At most `capacity` tokens wait: further requests wait for room (backpressure, nothing dropped).
    case writeBehind(maximumDelay: Duration, batchSize: Int, capacity: Int)

    /// Write-behind flushed every 5 ms or 256 tokens, at most 4,096 waiting.
    public static let defaultWriteBehind = TokenPersistence.writeBehind(
        maximumDelay: .milliseconds(5),
        batchSize: 256,
        capacity: 4096
    )
}
