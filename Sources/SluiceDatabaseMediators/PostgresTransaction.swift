import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
import SluiceMediation

/// A message's transaction on one PostgreSQL connection leased from the pool: `BEGIN` was sent when it was made,
/// `COMMIT` or `ROLLBACK` ends it and gives the connection back (a connection whose end failed is closed instead, so
/// the pool never hands out a connection still inside a transaction).
final class PostgresTransaction: EndOnceTransaction {
    private let connection: PostgresConnection
    private let client: PostgresDatabaseClient
    private let logger: Logger
    let ended = NIOLockedValueBox(false)

    init(connection: PostgresConnection, client: PostgresDatabaseClient, logger: Logger) {
        self.connection = connection
        self.client = client
        self.logger = logger
    }

    func run(_ statements: [BoundStatement]) async throws -> [StatementOutcome] {
        try await PostgresDatabaseClient.run(statements, on: connection, logger: logger)
    }

    func end(sql: String) async throws {
        do {
            // PostgreSQL answers COMMIT of a transaction a failed statement aborted with ROLLBACK, not an error.
            let result: PostgresQueryResult = try await connection.query(
                PostgresQuery(unsafeSQL: sql), logger: logger
            ).get()
            let tag = result.metadata.command
            client.release(connection)
            if sql == "COMMIT" && tag == "ROLLBACK" {
                throw StatementError(statement: 0, message: "the database rolled the transaction back")
            }
        } catch let error as StatementError {
            throw error
        } catch {
            // The connection's state is unknown: close it rather than give it back.
            let closing: EventLoopFuture<Void> = connection.close()
            try? await closing.get()
            client.release(connection)
            throw StatementError(statement: 0, message: PostgresDatabaseClient.describe(error))
        }
    }
}
