public import SluiceMediation
public import SluiceModel

/// WSO2's `APIManagerExtensionHandler`: in WSO2 it runs the global extension sequences `WSO2AM--Ext--In` /
/// `WSO2AM--Ext--Out` and the per-API ones `<provider>--<api>:v<version>--In` / `--Out` from the sequences folder.
///
/// Sluice accepts the handler so artifacts deploy unchanged, and computes the sequence names
/// (``sequenceNames(for:)``), but does not run them yet: gateway handlers receive only the message context,
/// not the deployment's named sequences, so a handler cannot start a sequence. Running them needs the gateway
/// to look the names up in its `MediationProgram` around the in and out sequences.
public struct APIManagerExtensionHandler: GatewayHandler {
    /// The names this handler is registered under.
    public static let classNames = [
        "org.wso2.carbon.apimgt.gateway.handlers.ext.APIManagerExtensionHandler",
        "APIManagerExtensionHandler",
    ]
    /// The global request extension sequence.
    public static let globalIn = "WSO2AM--Ext--In"
    /// The global response extension sequence.
    public static let globalOut = "WSO2AM--Ext--Out"

    /// Creates the handler.
    public init() {}

    /// The extension sequences WSO2 runs for an API, global ones first.
    /// - Parameter resource: The dispatched API.
    /// - Returns: Sequence names for the request and the response flow.
    public static func sequenceNames(for resource: DispatchedResource) -> (request: [String], response: [String]) {
        let perAPI = resource.apiName + ":v" + resource.version
        return ([globalIn, perAPI + "--In"], [globalOut, perAPI + "--Out"])
    }

    public func handleRequest(_ context: inout MessageContext) -> HandlerDecision {
        .proceed
    }
}
