/// `<handler class="..."><property name= value=/></handler>`: one entry of an API's handler chain.
public struct GatewayHandlerSpec: Sendable, Hashable {
    /// The class name as written, e.g. `org.wso2.carbon.apimgt.gateway.handlers.security.APIAuthenticationHandler`.
    public var className: String
    /// Handler properties in document order (names may repeat; the last one wins when looked up).
    public var properties: [Property]
    @DiagnosticOnly public var location: SourceLocation?

    public init(className: String, properties: [Property] = [], location: SourceLocation? = nil) {
        self.className = className
        self.properties = properties
        self.location = location
    }

    /// WSO2 handler classes Sluice runs without (all of) their work, with what is left out and why: the artifact
    /// deploys with a warning saying so.
    public static let limitedClasses: [String: String] = [
        "org.wso2.carbon.apimgt.gateway.handlers.ext.APIManagerCacheExtensionHandler":
            "no effect in Sluice: it clears the gateway's key cache when the token API revokes a token; Sluice's key manager announces "
            + "revoked tokens to the gateways itself",
        "org.wso2.carbon.apimgt.gateway.handlers.common.SynapsePropertiesHandler":
            "only its Content-Type default for POST and PUT runs; the node ports and key manager host it copies into "
            + "message properties (for WSO2's bundled token API) are not set, as Sluice serves its token endpoint itself",
    ]

    /// The value of the last property called `name`.
    public subscript(property name: String) -> String? {
        properties.last(where: { $0.name == name })?.value
    }

    public struct Property: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }
}
