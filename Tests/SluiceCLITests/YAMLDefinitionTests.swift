import Foundation
import Testing

extension CLIProcessTests {
    /// API definitions in YAML: `sluice api emit` gives the same artifact as for the JSON definition, and YAML
    /// problems are reported with the file and line.
    @Suite(.timeLimit(.minutes(1)))
    struct YAMLDefinitionTests {
        static let root = SluiceServerProcess.packageRoot
        static let binary = SluiceServerProcess.sluice

        private func emit(_ path: String) throws -> (status: Int32, output: String, error: String) {
            let runner = try SluiceServerProcess()
            return try runner.run(Self.binary, ["api", "emit", path])
        }

        private func write(_ text: String, name: String) throws -> String {
            let path = NSTemporaryDirectory() + "sluice-yaml-\(UUID().uuidString)-\(name)"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        @Test func theYAMLSampleEmitsTheSameArtifactAsTheJSONOne() throws {
            let yaml = try emit(Self.root + "/samples/pizzashack-api.yaml")
            let json = try emit(Self.root + "/samples/pizzashack-api.json")
            #expect(yaml.status == 0, "\(yaml.error)")
            #expect(json.status == 0)
            #expect(yaml.output.contains("name=\"admin--PizzaShackAPI\""))
            #expect(yaml.output == json.output)
        }

        @Test func yamlFeaturesDefinitionsUse() throws {
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
            let result = try emit(path)
            // The name is refused by the definition's rules, which proves it arrived as "It's".
            #expect(result.error.contains("It's"), "\(result.error)")
        }

        @Test(arguments: [
            ("name: X\n  context: /x\n", "line 2: unexpected indentation"),
            ("name: X\ncontext: [a, b\n", "line 2: a flow sequence is not closed with ]"),
            ("name: &anchor X\n", "line 1: anchors, aliases and tags are not supported"),
            ("name: X\nname: Y\n", "line 2: duplicate key 'name'"),
            ("name: \"open\n", "line 1: a double-quoted string is not closed"),
            ("name: X\ncontext: /x\nversion: 1.0\n", "version: expected a string"),
            ("just text\n", "line 1: expected 'key: value'"),
        ])
        func yamlProblemsNameTheLine(_ text: String, _ message: String) throws {
            let path = try write(text, name: "bad.yaml")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let result = try emit(path)
            #expect(result.status != 0)
            #expect(result.error.contains(message), "\(result.error)")
        }
    }
}
