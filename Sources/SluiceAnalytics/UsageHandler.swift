public import SluiceMediation
import SluiceModel

/// WSO2's `APIMgtUsageHandler` (1.x `usage.publisher` and 2.x `analytics` packages): records one usage event per
/// call when the response (or the fault answer) goes back to the client.
///
/// The request hook stamps `api.ut.requestTime`; the response hook builds the event from the properties the
/// authentication and throttle handlers and the `APIMgtResponseHandler` / `APIMgtFaultHandler` mediators set,
/// and offers it to the bounded queue. Nothing on this path waits for storage.
///
/// Calls refused by a handler *before* this one in the chain (authentication, throttling) skip this handler's
/// response hook; ``LatencyStatsHandler``, first in WSO2's 2.x chain, records those.
public struct UsageHandler: GatewayHandler {
    /// The names this handler is registered under.
    public static let classNames = [
        "org.wso2.carbon.apimgt.gateway.handlers.analytics.APIMgtUsageHandler",
        "org.wso2.carbon.apimgt.usage.publisher.APIMgtUsageHandler",
        "org.wso2.carbon.apimgt.gateway.handlers.usage.publisher.APIMgtUsageHandler",
        "APIMgtUsageHandler",
    ]

    public let recorder: UsageRecorder
    /// The deployed API's metric handles, resolved once by ``bound(to:)``.
    private var apiMetrics: UsageMetrics.APIMetrics?

    /// Creates the handler.
    public init(recorder: UsageRecorder) {
        self.recorder = recorder
    }

    public func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision {
        recorder.markRequest(&context)
        return .proceed
    }

    public func handleResponse(_ context: inout MessageContext) -> GatewayHandlerDecision {
        recorder.recordResponse(&context, resource: context.dispatchedResource, api: apiMetrics)
        return .proceed
    }

    public func bound(to deployment: GatewayHandlerDeployment) -> any GatewayHandler {
        var handler = self
        handler.apiMetrics = recorder.metrics?.handles(api: deployment.api.name, version: deployment.api.version ?? "")
        return handler
    }
}
