import Foundation
import Logging
import SluiceModel
import Testing

@testable import SluiceGateway

/// The access-log writer: lines written off the buffer in order, and a file that rotates by size keeping
/// `maxFiles` old ones.
@Suite struct AccessLogWriterTests {
    static func record(_ index: Int) -> AccessLogRecord {
        AccessLogRecord(
            clientAddress: "127.0.0.1", startMillis: 0, method: "GET", uri: "/r/\(index)", status: 200, bytes: index,
            latencyMicros: 1_000
        )
    }

    @Test func aFullFileRotatesAndTheOldestGoes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-access-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("logs/access.log").path
        // "GET /r/N 200" is 13 bytes with its line end: three lines fill a 40-byte file.
        let log = try GatewayAccessLog(
            settings: AccessLogSettings(
                enabled: true, format: "%m %U %s", destination: .file(path: path, maxFileBytes: 40, maxFiles: 2)
            )
        )
        let writer = AccessLogWriter(log: log, logger: Logger(label: "test"))
        for index in 0..<5 { try #require(log.buffer).offer(Self.record(index)) }
        #expect(writer.flush() == 5)
        for index in 5..<12 { try #require(log.buffer).offer(Self.record(index)) }
        #expect(writer.flush() == 7)
        func lines(_ file: String) throws -> [String] {
            try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        }
        // 12 lines of 13 bytes, written 5 then 7 at once: each flush writes its whole text, rotating first when
        // the file already holds some and the text would pass the limit.
        #expect(try lines(path) == (5..<12).map { "GET /r/\($0) 200" })
        #expect(try lines(path + ".1") == (0..<5).map { "GET /r/\($0) 200" })
        #expect(!FileManager.default.fileExists(atPath: path + ".2"))
        // One more line rotates again (two old files now); two more append; two after that rotate, and the
        // oldest file goes.
        try #require(log.buffer).offer(Self.record(12))
        #expect(writer.flush() == 1)
        #expect(try lines(path) == ["GET /r/12 200"])
        #expect(try lines(path + ".2") == (0..<5).map { "GET /r/\($0) 200" })
        try #require(log.buffer).offer(Self.record(13))
        #expect(writer.flush() == 1)
        #expect(try lines(path) == ["GET /r/12 200", "GET /r/13 200"])
        for index in 14..<16 { try #require(log.buffer).offer(Self.record(index)) }
        #expect(writer.flush() == 2)
        #expect(try lines(path) == ["GET /r/14 200", "GET /r/15 200"])
        #expect(try lines(path + ".1") == ["GET /r/12 200", "GET /r/13 200"])
        #expect(try lines(path + ".2") == (5..<12).map { "GET /r/\($0) 200" })
        #expect(!FileManager.default.fileExists(atPath: path + ".3"))
    }
}
