public import SluiceMediation
import SluiceModel

/// WSO2 3.x's `APIStatusHandler`: refuses calls to an API the publisher has BLOCKED (900907, HTTP 401), from
/// the lifecycle states in an ``APIStatusRegistry``. Without a registry every call passes.
public struct APIStatusHandler: GatewayHandler {
    /// The names this handler is registered under.
    public static let classNames = ["org.wso2.carbon.apimgt.gateway.handlers.common.APIStatusHandler", "APIStatusHandler"]

    /// Lifecycle states reported by the publisher.
    public let statuses: APIStatusRegistry?

    /// Creates the handler.
    public init(statuses: APIStatusRegistry?) {
        self.statuses = statuses
    }

    public func handleRequest(_ context: inout MessageContext) -> HandlerDecision {
        guard let resource = context.dispatched,
            statuses?.state(context: resource.context, version: resource.version) == .blocked
        else { return .proceed }
        AuthenticationFailure.apiBlocked.apply(to: &context)
        return .respond
    }
}
