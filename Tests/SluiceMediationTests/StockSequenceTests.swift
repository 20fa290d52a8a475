import Foundation
import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// The stock sequences shipped in `repository/` must deploy and behave.
@Suite struct StockSequenceTests {
    static let sequencesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("repository/deployment/server/synapse-configs/default/sequences")

    static func program() throws -> MediationProgram {
        let files = try FileManager.default.contentsOfDirectory(atPath: sequencesDirectory.path)
            .filter { $0.hasSuffix(".xml") }
        var sequences: [SequenceDefinition] = []
        for file in files {
            let artifacts = try SynapseParser().parseFile(atPath: sequencesDirectory.appendingPathComponent(file).path)
            sequences += artifacts.sequences
        }
        return try MediationCompiler().compileProgram(sequences: sequences, endpoints: [])
    }

    @Test func everyStockSequenceCompiles() throws {
        let program = try Self.program()
        for name in ["fault", "main", "_production_key_error_", "_sandbox_key_error_"] {
            #expect(program.sequence(named: name) != nil, "missing \(name)")
        }
    }

    @Test func faultSequenceAnswersWithTheRuntimeFault() throws {
        let program = try Self.program()
        var context = Build.context(headers: [("Authorization", "Bearer t"), ("Content-Type", "application/json")])
        context.recordFault(MediationFault(code: 101503, message: "Error connecting to the back end"))
        context[property: "CUSTOM_HTTP_SC"] = "502"
        var execution = SequenceExecution(sequence: program.faultSequence, program: program)
        #expect(try execution.run(&context).name == "respond")
        #expect(context.statusCode == 502)
        #expect(context.headers["Authorization"].isEmpty)
        let body = try #require(context.body.string)
        #expect(body.contains("<am:code>101503</am:code>"))
        #expect(body.contains("<am:description>Error connecting to the back end</am:description>"))
    }

    @Test func stockAddressingRemovalClearsTheToProperty() throws {
        var context = Build.context(path: "/api/1.0/orders")
        try Build.run([.header(HeaderMediator(name: "To", value: .literal("http://elsewhere/x")))], on: &context)
        try Build.run([.header(HeaderMediator(name: "To", value: nil, action: .remove))], on: &context)
        #expect(context.lookupProperty(scope: .default, name: "To")?.stringValue == "/api/1.0/orders")
    }
}
