import Foundation
import Logging
import NIOCore
import NIOPosix
import SluiceTesting
import Testing

@testable import SluiceDatabaseMediators
@testable import SluiceMediation

/// A message's transaction over the real drivers, on SQLite and on the tests' PostgreSQL: commit keeps every
/// statement, rollback none, a failed statement makes the commit roll back, statements outside the transaction
/// (suspended, or another message) do not see its rows before the commit, a transaction nobody ended is rolled back
/// when it goes or times out, and no connection stays taken.
@Suite(.timeLimit(.minutes(1))) struct MessageTransactionTests {
    enum Kind: String, CaseIterable, Sendable {
        case sqlite
        case postgresql
    }

    private let loop = MultiThreadedEventLoopGroup.singleton.any()
    private let logger = Logger(label: "sluice.test.transaction")

    /// A fresh database of `kind` with table `t (id INTEGER PRIMARY KEY, name VARCHAR(20))`; the SQLite file's
    /// folder is removed by `cleanUp`.
    private struct Fixture {
        let client: any DatabaseClient
        let table: String
        let folder: String?

        var sqliteGate: SQLiteConnectionGate? { (client as? SQLiteDatabaseClient)?.gate }

        func cleanUp() {
            if let folder { try? FileManager.default.removeItem(atPath: folder) }
        }
    }

    private func fixture(_ kind: Kind) async throws -> Fixture {
        let table = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let client: any DatabaseClient
        var folder: String?
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-tx-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            folder = path
            client = SQLiteDatabaseClient(path: path + "/t.db", waitLimit: .seconds(2))
        case .postgresql:
            let server = try ThrowawayPostgres.shared()
            let address = try #require(URLComponents(string: server.url))
            client = PostgresDatabaseClient(
                host: "127.0.0.1", port: try #require(address.port), database: "postgres", sslMode: "disable",
                user: address.user ?? "postgres", password: "", maximumConnections: 2, logger: logger
            )
        }
        _ = try await client.execute(
            [update("CREATE TABLE \(table) (id INTEGER PRIMARY KEY, name VARCHAR(20))")], transaction: false, on: loop
        ).get()
        return Fixture(client: client, table: String(table), folder: folder)
    }

    private func update(_ sql: String, _ bindings: [SQLValue] = []) -> BoundStatement {
        BoundStatement(sql: sql, bindings: bindings, returnsRows: false)
    }

    private func insert(_ fixture: Fixture, _ id: Int64) -> BoundStatement {
        update("INSERT INTO \(fixture.table) (id, name) VALUES (?, ?)", [.integer(id), .text("n\(id)")])
    }

    /// The ids in the table, read outside any transaction.
    private func ids(_ fixture: Fixture) async throws -> String {
        let rows = try await fixture.client.execute(
            [BoundStatement(sql: "SELECT count(*), coalesce(sum(id), 0) FROM \(fixture.table)", bindings: [], returnsRows: true)],
            transaction: false,
            on: loop
        ).get()
        return (rows.first?.firstRow ?? []).map { $0 ?? "" }.joined(separator: "/")
    }

    private func transaction(timeout: TimeAmount = .seconds(30)) -> MessageTransaction {
        MessageTransaction(timeout: timeout, logger: logger)
    }

    private func run(_ transaction: MessageTransaction, _ fixture: Fixture, _ statements: [BoundStatement]) async throws {
        _ = try await transaction.execute(statements, on: fixture.client, dataSource: "ds", eventLoop: loop).get()
    }

    /// True once nothing holds a connection: the SQLite gate is free; on PostgreSQL, both connections of the pool
    /// can be taken at once.
    private func noConnectionTaken(_ fixture: Fixture) async throws -> Bool {
        if let gate = fixture.sqliteGate {
            for _ in 0..<50 where gate.isHeld { try await Task.sleep(for: .milliseconds(20)) }
            return !gate.isHeld
        }
        let first = try await fixture.client.beginTransaction(on: loop).get()
        let second = try await fixture.client.beginTransaction(on: loop).get()
        try await first.rollback(on: loop).get()
        try await second.rollback(on: loop).get()
        return true
    }

    @Test(arguments: Kind.allCases)
    func commitKeepsEveryStatementAndRollbackNone(_ kind: Kind) async throws {
        let fixture = try await fixture(kind)
        defer { fixture.cleanUp() }
        let committed = transaction()
        try await run(committed, fixture, [insert(fixture, 1)])
        try await run(committed, fixture, [insert(fixture, 2)])
        #expect(committed.enlistedDataSources == ["ds"])  // one connection for both statements
        try await committed.end(commit: true, on: loop).get()
        #expect(try await ids(fixture) == "2/3")

        let rolledBack = transaction()
        try await run(rolledBack, fixture, [insert(fixture, 4)])
        try await run(rolledBack, fixture, [update("DELETE FROM \(fixture.table) WHERE id = 1")])
        try await rolledBack.end(commit: false, on: loop).get()
        #expect(try await ids(fixture) == "2/3")
        #expect(try await noConnectionTaken(fixture))
    }

    @Test(arguments: Kind.allCases)
    func aFailedStatementMakesTheCommitRollBackTheEarlierOnes(_ kind: Kind) async throws {
        let fixture = try await fixture(kind)
        defer { fixture.cleanUp() }
        _ = try await fixture.client.execute([insert(fixture, 1)], transaction: false, on: loop).get()
        let failing = transaction()
        try await run(failing, fixture, [update("DELETE FROM \(fixture.table) WHERE id = 1")])
        await #expect(throws: StatementError.self) {
            try await run(failing, fixture, [insert(fixture, 5), insert(fixture, 5)])  // the second breaks the key
        }
        await #expect {
            try await failing.end(commit: true, on: loop).get()
        } throws: { error in
            MessageTransaction.describe(error).hasPrefix("a statement of the transaction failed (")
                && MessageTransaction.describe(error).hasSuffix("); the transaction was rolled back")
        }
        #expect(try await ids(fixture) == "1/1")  // the delete was rolled back with the failed inserts
        #expect(try await noConnectionTaken(fixture))
    }

    @Test(arguments: Kind.allCases)
    func statementsOutsideTheTransactionDoNotSeeItsRowsBeforeTheCommit(_ kind: Kind) async throws {
        let fixture = try await fixture(kind)
        defer { fixture.cleanUp() }
        let open = transaction()
        try await run(open, fixture, [insert(fixture, 8)])
        if kind == .postgresql {
            // Another message reads on another connection of the pool: the uncommitted row is not there yet.
            #expect(try await ids(fixture) == "0/0")
        } else {
            // SQLite's one connection is the transaction's until it ends: another message's statement waits for it
            // (here longer than its wait limit, 2 s, so it fails rather than read inside the transaction).
            await #expect {
                try await ids(fixture)
            } throws: { error in
                (error as? StatementError)?.message == "the SQLite connection stayed held by a transaction for 2 s"
            }
        }
        try await open.end(commit: true, on: loop).get()
        #expect(try await ids(fixture) == "1/8")
        #expect(try await noConnectionTaken(fixture))
    }

    @Test(arguments: Kind.allCases)
    func aTransactionNobodyEndedIsRolledBackWhenItGoes(_ kind: Kind) async throws {
        let fixture = try await fixture(kind)
        defer { fixture.cleanUp() }
        do {
            let forgotten = transaction()
            try await run(forgotten, fixture, [insert(fixture, 3)])
        }
        // The last reference went at the end of the block: its rollback gives the connection back.
        #expect(try await noConnectionTaken(fixture))
        #expect(try await ids(fixture) == "0/0")
    }

    @Test(arguments: Kind.allCases)
    func aTransactionPastItsTimeoutIsRolledBackAndItsCommitFaults(_ kind: Kind) async throws {
        let fixture = try await fixture(kind)
        defer { fixture.cleanUp() }
        let slow = transaction(timeout: .milliseconds(200))
        try await run(slow, fixture, [insert(fixture, 6)])
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await noConnectionTaken(fixture))
        await #expect {
            try await run(slow, fixture, [insert(fixture, 7)])
        } throws: { error in
            (error as? StatementError)?.message == "the transaction timed out after 200 ms and was rolled back"
        }
        await #expect(throws: StatementError.self) { try await slow.end(commit: true, on: loop).get() }
        #expect(try await ids(fixture) == "0/0")
    }

    @Test func aTransactionOverTwoDataSourcesCommitsBoth() async throws {
        let sqlite = try await fixture(.sqlite)
        defer { sqlite.cleanUp() }
        let postgres = try await fixture(.postgresql)
        let both = transaction()
        _ = try await both.execute([insert(sqlite, 1)], on: sqlite.client, dataSource: "a", eventLoop: loop).get()
        _ = try await both.execute([insert(postgres, 2)], on: postgres.client, dataSource: "b", eventLoop: loop).get()
        #expect(both.enlistedDataSources == ["a", "b"])
        try await both.end(commit: true, on: loop).get()
        #expect(try await ids(sqlite) == "1/1")
        #expect(try await ids(postgres) == "1/2")
    }
}
