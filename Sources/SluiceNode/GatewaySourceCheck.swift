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
        self.compiler = MediationCompiler(handlers: handlers)
        self.gateway = gateway
    }

    /// The first problem compiling `api`, nil when it compiles (or before a gateway is attached).
    func check(_ api: SynapseAPI) -> (line: Int, column: Int, message: String)? {
        guard let deployer = gateway.attached else { return nil }
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
            _ = try compiler.compile(api: api, in: program)
            return nil
        } catch {
            var message = error.description
            if let location = error.location, message.hasPrefix("\(location): ") {
                message.removeFirst("\(location): ".count)
            }
            return (error.location?.line ?? 1, error.location?.column ?? 1, message)
        }
    }
}
