import Foundation
import SluiceModel
import SluiceSynapse
import SluiceTesting
import Testing

@Suite struct HostileInputTests {
    private func diagnostics(_ xml: String, limits: SynapseParser.Limits = .init()) -> [SynapseDiagnostic] {
        do {
            _ = try SynapseParser(limits: limits).parse(xml: xml, fileName: "hostile.xml")
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test func billionLaughsIsRefusedBeforeExpansion() {
        var xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            xml += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
        }
        xml += "]>\n<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"&lol9;\"/>"
        let found = diagnostics(xml)
        #expect(found.map(\.message) == ["DOCTYPE is not allowed"])
        #expect(found.first?.location.line == 2)
    }

    @Test func externalEntityCannotReadFiles() {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE sequence [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <sequence xmlns="http://ws.apache.org/ns/synapse" name="s"><log><property name="p" value="&secret;"/></log></sequence>
            """
        #expect(diagnostics(xml).map(\.message) == ["DOCTYPE is not allowed"])
    }

    @Test func externalDTDIsRefused() {
        let xml = """
            <!DOCTYPE api SYSTEM "http://127.0.0.1:1/evil.dtd">
            <api xmlns="http://ws.apache.org/ns/synapse" name="A" context="/a"><resource/></api>
            """
        #expect(diagnostics(xml).map(\.message) == ["DOCTYPE is not allowed"])
    }

    @Test func undeclaredEntityIsAnError() {
        let xml = #"<sequence xmlns="http://ws.apache.org/ns/synapse" name="&x;"/>"#
        let found = diagnostics(xml)
        #expect(found.count == 1)
        #expect(found.first?.message == "Entity 'x' not defined")
    }

    @Test func nestingBeyondTheLimitIsRefused() {
        let depth = 40
        let xml =
            "<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"s\">\n"
            + String(repeating: "<filter xpath=\"true()\">\n", count: depth)
            + String(repeating: "</filter>\n", count: depth) + "</sequence>"
        let found = diagnostics(xml, limits: .init(maxDepth: 16))
        #expect(found.map(\.message) == ["elements are nested deeper than 16 levels"])
        #expect(found.first?.location.line == 17)
        #expect(found.first?.location.column == 1)
        #expect(diagnostics(xml).isEmpty)
    }

    @Test func extremeNestingIsRefusedWithoutCrashing() {
        let depth = 100_000
        let xml = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        let found = diagnostics(xml)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("nested") == true)
    }

    @Test func oversizedBytesAreRefused() {
        let bytes = [UInt8](repeating: UInt8(ascii: " "), count: 2048)
        let parser = SynapseParser(limits: .init(maxFileBytes: 1024))
        let error = #expect(throws: SynapseDiagnostics.self) { try parser.parse(bytes: bytes, fileName: "big.xml") }
        #expect(error?.diagnostics.first?.message == "file is 2048 bytes, over the limit of 1024 bytes")
    }

    @Test func fiftyMegabyteFileIsRefusedWithoutReadingIt() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path + "/huge.xml"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        // A sparse file: 50 MB on paper, nothing written.
        try handle.truncate(atOffset: 50 * 1024 * 1024)
        try handle.close()
        let error = #expect(throws: SynapseDiagnostics.self) { try SynapseParser().parseFile(atPath: path) }
        #expect(error?.diagnostics.first?.message == "file is 52428800 bytes, over the limit of 10485760 bytes")
        #expect(error?.diagnostics.first?.location.line == 1)
    }

    @Test func missingFileAndFolderAreDiagnostics() throws {
        let missing = #expect(throws: SynapseDiagnostics.self) {
            try SynapseParser().parseFile(atPath: "/nonexistent/sluice/api.xml")
        }
        #expect(missing?.diagnostics.first?.message == "cannot open file: No such file or directory")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let notAFile = #expect(throws: SynapseDiagnostics.self) { try SynapseParser().parseFile(atPath: folder.path) }
        #expect(notAFile?.diagnostics.first?.message == "not a regular file")
    }

    @Test(arguments: [
        [UInt8](),
        [0xFF, 0xFE, 0x00, 0x3C],
        Array("<api xmlns=\"http://ws.apache.org/ns/synapse\" name=\"\u{0}\"/>".utf8),
        Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>\u{1}</a>".utf8),
        [0x3C, 0x61, 0x3E, 0xC3, 0x28, 0x3C, 0x2F, 0x61, 0x3E],
        Array("<a xmlns:p=\"urn:x\"><p:b/></a><trailing/>".utf8),
    ])
    func garbageGivesDiagnosticsNotCrashes(bytes: [UInt8]) {
        do {
            _ = try SynapseParser().parse(bytes: bytes, fileName: "garbage.xml")
            Issue.record("garbage parsed")
        } catch {
            #expect(!error.diagnostics.isEmpty)
            #expect(error.diagnostics.allSatisfy { $0.location.line >= 1 && $0.location.column >= 1 })
        }
    }

    @Test func parsesConcurrentlyFromManyTasks() async throws {
        let xml = try String(
            contentsOfFile: FixtureFiles.path("valid/admin--PizzaShackAPI_v1.0.0.xml"),
            encoding: .utf8
        )
        let broken = xml.replacingOccurrences(of: "</api>", with: "")
        let expected = try SynapseParser().parse(xml: xml, fileName: "a.xml")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<32 {
                group.addTask { () async throws -> Void in
                    if index.isMultiple(of: 2) {
                        #expect(try SynapseParser().parse(xml: xml, fileName: "a.xml") == expected)
                    } else {
                        #expect(throws: SynapseDiagnostics.self) {
                            try SynapseParser().parse(xml: broken, fileName: "b\(index).xml")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
