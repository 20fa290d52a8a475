import Foundation
import Logging
import NIOPosix
import SluiceMediation
import Testing

@testable import SluiceDatabaseMediators

/// The pools `dblookup`/`dbreport` run on, straight: statements with bound parameters against a real SQLite file,
/// transactions that apply whole or not at all, and the failures each reports.
@Suite struct DatabaseClientTests {
    private let loop = MultiThreadedEventLoopGroup.singleton.any()

    private func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-sqlite-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func update(_ sql: String, _ bindings: [SQLValue] = []) -> BoundStatement {
        BoundStatement(sql: sql, bindings: bindings, returnsRows: false)
    }

    private func query(_ sql: String, _ bindings: [SQLValue] = []) -> BoundStatement {
        BoundStatement(sql: sql, bindings: bindings, returnsRows: true)
    }

    @Test func sqliteStatementsBindTheirParametersAndReturnTheFirstRow() async throws {
        let path = try folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let client = SQLiteDatabaseClient(path: path + "/t.db")
        let written = try await client.execute(
            [
                update("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, price NUMERIC, seen DATE, ok BOOLEAN)"),
                update(
                    "INSERT INTO t VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)",
                    [.integer(1), .text("it's"), .decimal("2.50"), .date("2024-01-02"), .boolean(true),
                     .integer(2), .null, .real(3.25), .timestamp("2024-01-02 03:04:05"), .boolean(false)]
                ),
            ],
            transaction: false,
            on: loop
        ).get()
        #expect(written.map(\.changedRows) == [0, 2])
        let read = try await client.execute(
            [query("SELECT name, price, seen, ok FROM t WHERE id = ?", [.integer(1)]),
             query("SELECT name, price FROM t WHERE id >= ? ORDER BY id DESC", [.text("2")]),
             query("SELECT name FROM t WHERE id = ?", [.integer(9)])],
            transaction: false,
            on: loop
        ).get()
        #expect(read[0].columns == ["name", "price", "seen", "ok"])
        #expect(read[0].firstRow == ["it's", "2.5", "2024-01-02", "1"])
        #expect(read[1].firstRow == [nil, "3.25"])
        #expect(read[2].firstRow == nil)
        // The injection-shaped value is a value, never SQL.
        let hostile = try await client.execute(
            [query("SELECT count(*) FROM t WHERE name = ?", [.text("x' OR '1'='1")])],
            transaction: false,
            on: loop
        ).get()
        #expect(hostile.first?.firstRow == ["0"])
    }

    @Test func aTransactionAppliesWholeOrNotAtAllAndNamesTheFailedStatement() async throws {
        let path = try folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let client = SQLiteDatabaseClient(path: path + "/t.db")
        _ = try await client.execute([update("CREATE TABLE t (id INTEGER PRIMARY KEY)")], transaction: false, on: loop).get()
        await #expect {
            try await client.execute(
                [update("INSERT INTO t VALUES (?)", [.integer(1)]), update("INSERT INTO nowhere VALUES (1)")],
                transaction: true,
                on: loop
            ).get()
        } throws: { error in
            (error as? StatementError)?.statement == 1
                && (error as? StatementError)?.message == "SQLite error 1: no such table: nowhere"
        }
        let count = try await client.execute([query("SELECT count(*) FROM t")], transaction: false, on: loop).get()
        #expect(count.first?.firstRow == ["0"])
        await #expect {
            try await client.execute([update("INSERT INTO t VALUES (?, ?)", [.integer(1)])], transaction: false, on: loop).get()
        } throws: { error in
            (error as? StatementError)?.message.contains("SQLite error") == true
        }
    }
}
