public import SluiceMediation
public import SluiceModel

/// WSO2's `APIManagerExtensionHandler`: runs the global extension sequence `WSO2AM--Ext--In` and then the API's
/// own `<provider>--<api>:v<version>--In` on the request, and `WSO2AM--Ext--Out` then `...--Out` on the
/// response, each only when it is deployed.
///
/// The sequences are looked up once, when the API is deployed (``bound(to:)``); a redeploy of the sequences
/// redeploys the APIs, so the handler always runs the current ones. With none deployed the handler does
/// nothing. An in sequence that ends with `<respond/>` or `<drop/>` stops the call there (the API's own in
/// sequence does not run); otherwise the call goes on to the next handler and the API's in sequence. The out
/// sequences run on the response before the handlers before this one see it.
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

    /// The deployed request sequences, chained (global first); nil when none is deployed.
    public private(set) var requestSequence: CompiledSequence?
    /// The deployed response sequences, chained (global first); nil when none is deployed.
    public private(set) var responseSequence: CompiledSequence?

    /// Creates the handler (it finds its sequences when bound to a deployment).
    public init() {}

    /// The extension sequences WSO2 runs for an API, global ones first.
    /// - Parameter api: The API artifact (its name is `provider--ApiName` when the publisher wrote it).
    /// - Returns: Sequence names for the request and the response flow.
    public static func sequenceNames(for api: SynapseAPI) -> (request: [String], response: [String]) {
        let perAPI = api.name + ":v" + (api.version ?? "")
        return ([globalIn, perAPI + "--In"], [globalOut, perAPI + "--Out"])
    }

    public func bound(to deployment: GatewayHandlerDeployment) -> any GatewayHandler {
        let names = Self.sequenceNames(for: deployment.api)
        var handler = self
        handler.requestSequence = deployment.sequence(chaining: names.request)
        handler.responseSequence = deployment.sequence(chaining: names.response)
        return handler
    }

    public var readsRequestBody: Bool { requestSequence?.readsBody ?? false }
    public var readsResponseBody: Bool { responseSequence?.readsBody ?? false }

    public func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision {
        guard let requestSequence else { return .proceed }
        return .runSequence(requestSequence, then: .proceed)
    }

    public func handleResponse(_ context: inout MessageContext) -> GatewayHandlerDecision {
        guard let responseSequence else { return .proceed }
        return .runSequence(responseSequence, then: .proceed)
    }
}
