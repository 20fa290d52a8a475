import SluiceControlPlane
import SluiceGateway
import SluiceMediation
import SluiceModel

/// Compiles a publisher's hand-edited API source the way this node's gateway compiles deployed files: against
/// the handler classes it knows and the named sequences and endpoints it serves now. The publisher refuses what
/// would not compile, instead of storing an edit the gateway would skip (it keeps the previous artifact).
final class GatewaySourceCheck: Sendable {
    private let gateway: AttachedGateway
    private let compiler: MediationCompiler

    /// - Parameters:
    ///   - handlers: The gateway's handler registry.
    ///   - gateway: The gateway, once it exists (the management services are built first).
    init(handlers: GatewayHandlerRegistry, gateway: AttachedGateway) {
        var compiler = MediationCompiler(handlers: handlers)
        // The gateway fetches the WSDLs a source names when it deploys the file; the check fetches none.
        compiler.networkSources = UnfetchedNetworkSources()
        self.compiler = compiler
        self.gateway = gateway
    }

    /// The first problem compiling `api` (none when it compiles, or before a gateway is attached), and the
    /// references it holds that nothing deployed defines (the deployer's warnings).
    func check(_ api: SynapseAPI) -> APISourceCompilation {
        guard let deployer = gateway.attached else { return APISourceCompilation() }
        let program = deployer.snapshots.current.program
        var api = api
        // Generated APIs name WSO2's `fault` sequence; without a deployed one the gateway uses its built-in fault
        // handling (as GatewayDeployer does), so the name is no error.
        if program.sequence(named: "fault") == nil {
            for index in api.resources.indices where api.resources[index].faultSequence == .key("fault") {
                api.resources[index].faultSequence = nil
            }
        }
        do {
            let compiled = try compiler.compile(api: api, in: program)
            return APISourceCompilation(warnings: compiled.unresolvedReferences.map(Self.note))
        } catch {
            return APISourceCompilation(problem: Self.note(error))
        }
    }

    private static func note(_ error: MediationCompileError) -> APISourceCompilation.Note {
        var message = error.description
        if let location = error.location, message.hasPrefix("\(location): ") {
            message.removeFirst("\(location): ".count)
        }
        return (error.location?.line ?? 1, error.location?.column ?? 1, message)
    }
}
