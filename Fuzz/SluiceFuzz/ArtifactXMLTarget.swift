import SluiceMediation
import SluiceModel
import SluiceSynapse

/// Artifact XML: the hardened libxml2 reader, every mediator factory, then compilation and serialisation of
/// whatever parsed (what a deployment does with a file, and what the publisher writes back).
enum ArtifactXMLTarget {
    static let target = FuzzTarget(
        name: "artifact-xml",
        summary: "Synapse artifact files: parse, compile, serialise",
        run: run
    )

    private static let parser = SynapseParser(limits: .init(maxFileBytes: 1 << 20))

    private static func run(_ bytes: [UInt8]) {
        guard let artifacts = try? parser.parse(bytes: bytes, fileName: "fuzz.xml") else { return }
        let compiler = MediationCompiler()
        let program = (try? compiler.compileProgram(sequences: artifacts.sequences, endpoints: artifacts.endpoints))
            ?? .empty
        for api in artifacts.apis {
            _ = try? compiler.compile(api: api, in: program)
            _ = api.effectiveContext
        }
        // What the publisher writes back must parse again.
        let written = SynapseSerializer.xml(for: artifacts)
        _ = try? parser.parse(xml: written, fileName: "fuzz-written.xml")
    }
}
