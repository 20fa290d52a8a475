public import NIOCore

/// A transaction open on one connection of a `DatabaseClient`, which keeps that connection for it until `commit`
/// or `rollback` (the connection then goes back to its pool). `MessageTransaction` holds one per datasource a
/// message's transaction reaches.
public protocol DatabaseTransaction: Sendable {
    /// Runs the statements in order inside the transaction, without blocking `eventLoop`.
    /// - Returns: A future completed on `eventLoop` with one outcome per statement, or failed with
    ///   `StatementError` naming the statement that failed (the transaction stays open; its owner decides).
    func execute(_ statements: [BoundStatement], on eventLoop: any EventLoop) -> EventLoopFuture<[StatementOutcome]>
    /// Commits and gives the connection back; a failed commit rolls back what it can and still gives it back.
    func commit(on eventLoop: any EventLoop) -> EventLoopFuture<Void>
    /// Rolls back and gives the connection back (always, even when the rollback fails).
    func rollback(on eventLoop: any EventLoop) -> EventLoopFuture<Void>
}
