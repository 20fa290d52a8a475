import Logging
import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel
import SluiceScript
import SluiceSynapse
import Testing

/// Builders that keep the tests short.
enum Build {
    static func expression(_ text: String, namespaces: [String: String] = [:]) -> SynapseExpression {
        do {
            return try SynapseExpression(parsing: text, namespaces: namespaces)
        } catch {
            fatalError("bad test expression \(text): \(error)")
        }
    }

    static func context(
        method: String = "GET",
        path: String = "/api/1.0/orders",
        query: String? = nil,
        headers: [(String, String)] = [],
        body: String? = nil
    ) -> MessageContext {
        var context = MessageContext(
            method: method,
            requestPath: path,
            query: query,
            headers: HTTPHeaders(headers),
            body: body.map(MessageBody.text) ?? .empty,
            logger: Logger(label: "test")
        )
        context.logger.logLevel = .critical
        return context
    }

    static func sequence(
        _ mediators: [MediatorNode],
        program: MediationProgram = .empty,
        compiler: MediationCompiler = MediationCompiler()
    ) throws -> CompiledSequence {
        try compiler.compile(sequence: SequenceDefinition(name: "test", mediators: mediators), in: program)
    }

    /// Runs mediators to their first stop; scripts run inline on the test's thread, as the gateway's script threads
    /// run them.
    @discardableResult
    static func run(
        _ mediators: [MediatorNode],
        on context: inout MessageContext,
        program: MediationProgram = .empty,
        scriptLimits: ScriptLimits = .standard
    ) throws -> MediationStep {
        var execution = SequenceExecution(sequence: try sequence(mediators, program: program), program: program)
        while true {
            let step = try execution.run(&context)
            guard case .runScript(let invocation) = step else { return step }
            if let stop = try invocation.run(&context, limits: scriptLimits) { return stop }
        }
    }

    /// A program holding `entries` as local entries (key → inline content).
    static func program(localEntries entries: [String: String]) throws -> MediationProgram {
        let body = entries.map { key, value in #"<localEntry key="\#(key)">\#(value)</localEntry>"# }.joined()
        return try MediationCompiler().compileProgram(
            SynapseParser().parse(
                xml: #"<definitions xmlns="http://ws.apache.org/ns/synapse">\#(body)</definitions>"#,
                fileName: "entries.xml"
            )
        )
    }

    static func address(_ uri: String, name: String? = nil, qos: EndpointQoS = EndpointQoS()) -> EndpointDefinition {
        EndpointDefinition(name: name, kind: .address(AddressEndpoint(uri: uri, qos: qos)))
    }
}

extension MediationStep {
    /// A short name for comparisons.
    var name: String {
        switch self {
        case .finished: "finished"
        case .respond: "respond"
        case .drop: "drop"
        case .loopback: "loopback"
        case .send: "send"
        case .call: "call"
        case .runScript: "runScript"
        case .queryDatabase: "queryDatabase"
        case .split: "split"
        case .aggregate: "aggregate"
        }
    }
}

extension MessageBody {
    var string: String? { text }
}

/// Mediators written as XML, for the per-mediator round-trip tests.
enum MediatorXML {
    /// Reads `mediators` (the inside of a `<sequence>`), writes the sequence back and reads it again; records an
    /// issue unless both reads give the same model.
    /// - Parameter namespaces: Extra `xmlns:p="uri"` declarations for the sequence element.
    static func roundTrip(
        _ mediators: String,
        namespaces: String = "",
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> [MediatorNode] {
        let xml = #"<sequence xmlns="http://ws.apache.org/ns/synapse" \#(namespaces) name="t">"# + mediators + "</sequence>"
        let parser = SynapseParser()
        let first = try parser.parse(xml: xml, fileName: "first.xml")
        let written = SynapseSerializer.xml(for: first)
        let second = try parser.parse(xml: written, fileName: "second.xml")
        let read = first.sequences.first?.mediators ?? []
        #expect(second.sequences.first?.mediators == read, "\(written)", sourceLocation: sourceLocation)
        return read
    }

    /// The diagnostics reading `mediators` gives (empty when it reads).
    static func problems(_ mediators: String, namespaces: String = "") -> [String] {
        let xml = #"<sequence xmlns="http://ws.apache.org/ns/synapse" \#(namespaces) name="t">"# + mediators + "</sequence>"
        do {
            _ = try SynapseParser().parse(xml: xml, fileName: "t.xml")
            return []
        } catch {
            return error.diagnostics.map(\.message)
        }
    }
}
