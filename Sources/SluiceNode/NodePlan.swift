import SluiceModel

/// Which services a node runs and on which ports.
struct NodePlan: Sendable {
    var runsGateway: Bool
    var runsControlPlane: Bool
    var gatewayPort: Int
    var managementPort: Int

    init(options: NodeOptions) {
        let roles = options.settings.roles
        runsGateway = roles.contains(.gateway)
        runsControlPlane = !roles.subtracting([.gateway]).isEmpty
        gatewayPort = options.gatewayPort ?? options.settings.gatewayPort
        managementPort = options.managementPort ?? options.settings.managementPort
    }
}
