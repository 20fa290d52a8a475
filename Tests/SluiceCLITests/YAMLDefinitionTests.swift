import Foundation
import Testing

extension CLIProcessTests {
    /// API definitions in YAML: `sluice api emit` gives the same artifact as for the JSON definition, and YAML
    /// problems are reported with the file and line.
    @Suite(.timeLimit(.minutes(1)))
    struct YAMLDefinitionTests {
        static let root = SluiceServerProcess.packageRoot
        static let binary = SluiceServerProcess.sluice

        private func emit(_ path: String) async throws -> (status: Int32, output: String, error: String) {
            let runner = try SluiceServerProcess()
            return try await runner.execute(Self.binary, ["api", "emit", path])
        }

        /// Nine levels of ten aliases each: 10^9 values once expanded, a few hundred bytes as written.
        static let aliasBomb: String = {
            var lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
            for level in 1...9 {
                let previous = Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ")
                lines.append("l\(level): &l\(level) [\(previous)]")
            }
            return lines.joined(separator: "\n") + "\n"
        }()

        private func write(_ text: String, name: String) throws -> String {
            let path = NSTemporaryDirectory() + "sluice-yaml-\(UUID().uuidString)-\(name)"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        @Test func theYAMLSampleEmitsTheSameArtifactAsTheJSONOne() async throws {
            let yaml = try await emit(Self.root + "/samples/pizzashack-api.yaml")
            let json = try await emit(Self.root + "/samples/pizzashack-api.json")
            #expect(yaml.status == 0, "\(yaml.error)")
            #expect(json.status == 0)
            #expect(yaml.output.contains("name=\"admin--PizzaShackAPI\""))
            #expect(yaml.output == json.output)
        }

        @Test func yamlFeaturesDefinitionsUse() async throws {
            let path = try write(
                """
                # comment
                name: 'It''s'        # quoted with an escaped quote
                context: "/menu\\u0041"
                version: "2"
                description: |
                  line one
                  line two
                tags: []
                operations:
                - target: /x
                  verb: GET
                """,
                name: "features.yaml"
            )
            defer { try? FileManager.default.removeItem(atPath: path) }
            let result = try await emit(path)
            // The name is refused by the definition's rules, which proves it arrived as "It's".
            #expect(result.error.contains("It's"), "\(result.error)")
        }

        @Test(arguments: [
            ("name: X\n  context: /x\n", "line 2: mapping values are not allowed in this context"),
            ("name: X\ncontext: [a, b\n", "did not find expected ',' or ']'"),
            ("name: X\nname: Y\n", "line 1: duplicate key 'name'"),
            ("name: \"open\n", "found unexpected end of stream"),
            ("name: X\ncontext: /x\nversion: 1.0\n", "version: expected a string"),
            ("just text\n", "line 1: the document must be a mapping or a sequence"),
            ("a: x\n---\nb: y\n", "only one document is read"),
            (Self.aliasBomb, "the document expands to more than 200000 values"),
        ])
        func yamlProblemsNameTheLine(_ text: String, _ message: String) async throws {
            let path = try write(text, name: "bad.yaml")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let result = try await emit(path)
            #expect(result.status != 0)
            #expect(result.error.contains(message), "\(result.error)")
        }
    }
}
