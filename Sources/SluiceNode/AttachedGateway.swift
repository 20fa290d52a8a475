import SluiceGateway
import Synchronization

/// This node's gateway deployer, for the parts built before the gateway (the management services): the
/// publisher's source check, its deployments and the metrics' list of deployed APIs. Nil until attached, and
/// always nil on a node without a gateway.
final class AttachedGateway: Sendable {
    private let deployer = Mutex<GatewayDeployer?>(nil)

    /// Connects the gateway once it exists.
    func attach(_ deployer: GatewayDeployer) {
        self.deployer.withLock { $0 = deployer }
    }

    /// The gateway's deployer, once attached.
    var attached: GatewayDeployer? { deployer.withLock { $0 } }
}
