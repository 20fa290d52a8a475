import SluiceModel

/// Which services a node runs and on which ports (nil: that listener is off).
struct NodePlan: Sendable {
    var runsGateway: Bool
    var runsControlPlane: Bool
    var gatewayPort: Int?
    var gatewayHTTPSPort: Int?
    var managementPort: Int?
    var managementHTTPSPort: Int?

    init(options: NodeOptions) {
        let settings = options.settings
        let roles = settings.roles
        runsGateway = roles.contains(.gateway)
        runsControlPlane = !roles.subtracting([.gateway]).isEmpty
        func port(_ listener: NodeListener, _ override: Int?, _ configured: Int?) -> Int? {
            options.listenersOff.contains(listener) ? nil : override ?? configured
        }
        gatewayPort = port(.gatewayHTTP, options.gatewayPort, settings.gatewayHTTPEnabled ? settings.gatewayPort : nil)
        gatewayHTTPSPort = port(.gatewayHTTPS, options.gatewayHTTPSPort, settings.gatewayHTTPSPort)
        managementPort = port(
            .managementHTTP,
            options.managementPort,
            settings.managementHTTPEnabled ? settings.managementPort : nil
        )
        managementHTTPSPort = port(.managementHTTPS, options.managementHTTPSPort, settings.managementHTTPSPort)
    }

    /// Whether some listener of this node speaks HTTPS.
    var servesHTTPS: Bool {
        (runsGateway && gatewayHTTPSPort != nil) || (runsControlPlane && managementHTTPSPort != nil)
    }

    /// Checks that every server of the node keeps a listener.
    func validate() throws(NodeAssemblyError) {
        if runsGateway, gatewayPort == nil, gatewayHTTPSPort == nil {
            throw .noListener("the gateway's HTTP and HTTPS ports are both off")
        }
        if runsControlPlane, managementPort == nil, managementHTTPSPort == nil {
            throw .noListener("the management server's HTTP and HTTPS ports are both off")
        }
    }
}
