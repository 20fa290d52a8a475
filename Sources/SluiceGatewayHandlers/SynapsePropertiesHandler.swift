public import SluiceMediation

/// WSO2's `SynapsePropertiesHandler` (on the API Manager's own `_OpenService_` and token APIs): a `POST` or `PUT`
/// without a `Content-Type` is read as a form (`application/x-www-form-urlencoded`, the header and so axis2
/// `ContentType`), where Synapse would otherwise answer 415.
///
/// WSO2's handler also copies the node's own ports and key manager host (`http.nio.port`, `https.nio.port`,
/// `keyManager.port`, `keyManager.hostname`) into message properties, for its bundled token API to call the key
/// manager, and rewrites `Location` headers of a reverse-proxied Identity Server (off by default); Sluice serves
/// its token endpoint itself, so neither is done (the artifact gets a deployment warning saying so).
public struct SynapsePropertiesHandler: GatewayHandler {
    /// The names this handler is registered under.
    public static let classNames = ["org.wso2.carbon.apimgt.gateway.handlers.common.SynapsePropertiesHandler"]

    /// Creates the handler.
    public init() {}

    public func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision {
        guard context.method == "POST" || context.method == "PUT" else { return .proceed }
        let contentType = context.headers.first(name: "Content-Type") ?? ""
        if contentType.isEmpty {
            context.headers.replaceOrAdd(name: "Content-Type", value: "application/x-www-form-urlencoded")
        }
        return .proceed
    }
}
