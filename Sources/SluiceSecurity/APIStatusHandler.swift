public import SluiceMediation
import SluiceModel

/// WSO2 3.x's `APIStatusHandler`: refuses calls to an API the publisher has BLOCKED (900907, HTTP 401), from
/// the lifecycle states in an ``APIStatusRegistry``. Without a registry every call passes.
public struct APIStatusHandler: GatewayHandler {
    /// The names this handler is registered under.
    public static let classNames = ["org.wso2.carbon.apimgt.gateway.handlers.common.APIStatusHandler", "APIStatusHandler"]

    /// Lifecycle states reported by the publisher.
    public let statuses: APIStatusRegistry?
    /// The deployed `_auth_failure_handler_`, bound at deploy time.
    public private(set) var failureSequence: CompiledSequence?

    /// Creates the handler.
    public init(statuses: APIStatusRegistry?) {
        self.statuses = statuses
    }

    public func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision {
        guard let resource = context.dispatchedResource,
            statuses?.isBlocked(context: resource.context, version: resource.version) == true
        else { return .proceed }
        return AuthenticationFailure.apiBlocked.answer(&context, sequence: failureSequence)
    }

    /// Picks up the deployed `_auth_failure_handler_`.
    public func bound(to deployment: GatewayHandlerDeployment) -> any GatewayHandler {
        var handler = self
        handler.failureSequence = deployment.sequence(named: AuthenticationFailure.sequenceName)
        return handler
    }
}
