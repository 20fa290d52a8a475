import Logging
import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel

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

    /// Runs mediators to their first stop.
    @discardableResult
    static func run(
        _ mediators: [MediatorNode],
        on context: inout MessageContext,
        program: MediationProgram = .empty
    ) throws -> MediationStep {
        var execution = SequenceExecution(sequence: try sequence(mediators, program: program), program: program)
        return try execution.run(&context)
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
        }
    }
}

extension MessageBody {
    var string: String? { text }
}
