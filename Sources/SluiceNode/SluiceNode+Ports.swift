import SluiceTLS

/// The ports a node's listeners are bound to, nil for a listener the node does not run; what `sluice server
/// --ports-file` writes, as `{"gateway": 8280, "gatewayHTTPS": 8243, "management": 9763, "managementHTTPS": 9443}`.
public struct NodePorts: Sendable, Hashable, Codable {
    /// The gateway's plain HTTP port.
    public var gateway: Int?
    /// The gateway's HTTPS port.
    public var gatewayHTTPS: Int?
    /// The management (and key manager) plain HTTP port.
    public var management: Int?
    /// The management HTTPS port.
    public var managementHTTPS: Int?

    /// Creates the set.
    public init(gateway: Int? = nil, gatewayHTTPS: Int? = nil, management: Int? = nil, managementHTTPS: Int? = nil) {
        self.gateway = gateway
        self.gatewayHTTPS = gatewayHTTPS
        self.management = management
        self.managementHTTPS = managementHTTPS
    }
}

/// The management server's two listeners, each reporting its port once bound.
struct ManagementListeners: Sendable {
    let http: BoundListenerPort
    let https: BoundListenerPort

    init(plan: NodePlan, keyStores: NodeKeyStores?) {
        let servesHTTP = plan.runsControlPlane && plan.managementPort != nil
        // The HTTPS listener exists only with key stores (which a control plane always has).
        let servesHTTPS = plan.runsControlPlane && plan.managementHTTPSPort != nil && keyStores != nil
        http = servesHTTP ? BoundListenerPort(name: "management HTTP") : BoundListenerPort(name: "management HTTP", off: "off")
        https = servesHTTPS ? BoundListenerPort(name: "management HTTPS") : BoundListenerPort(name: "management HTTPS", off: "off")
    }

    /// Neither listener will be bound: the node builds no management server.
    func notServed(_ reason: String) {
        http.serverEnded(reason)
        https.serverEnded(reason)
    }
}

extension SluiceNode {
    /// The management HTTP port once the server listens on it: the kernel's pick when configured as 0.
    /// - Throws: ``ListenerNotBound`` when the listener is off, or the server ended without binding it.
    public var boundManagementPort: Int {
        get async throws { try await managementListeners.http.port }
    }

    /// The management HTTPS port once the server listens on it.
    /// - Throws: ``ListenerNotBound`` when the listener is off, or the server ended without binding it.
    public var boundManagementHTTPSPort: Int {
        get async throws { try await managementListeners.https.port }
    }

    /// Every listener's port, once all of this node's listeners are bound (call it while the node runs).
    /// - Returns: The bound ports; nil for listeners the node does not run.
    /// - Throws: ``ListenerNotBound`` or the gateway's bind error when a listener could not be bound.
    public func boundPorts() async throws -> NodePorts {
        var ports = NodePorts()
        if managementPort != nil { ports.management = try await boundManagementPort }
        if managementHTTPSPort != nil { ports.managementHTTPS = try await boundManagementHTTPSPort }
        if let gateway {
            if gatewayPort != nil { ports.gateway = try await gateway.boundPort }
            if gatewayHTTPSPort != nil { ports.gatewayHTTPS = try await gateway.boundHTTPSPort }
        }
        return ports
    }
}
