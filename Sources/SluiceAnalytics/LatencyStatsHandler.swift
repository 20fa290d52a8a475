public import SluiceMediation
import SluiceModel

/// WSO2's `APIMgtLatencyStatsHandler`: first in the 2.x/3.x chain, it stamps the request's arrival and, on the
/// way back, the backend's answer time, which feed the latency fields of the usage event.
///
/// Because it sees every response, including those a later handler refused (401, 429...), it also records the
/// usage event of calls the ``UsageHandler`` did not see. `apiUUID` is accepted.
public struct LatencyStatsHandler: GatewayHandler {
    /// The names this handler is registered under.
    public static let classNames = [
        "org.wso2.carbon.apimgt.gateway.handlers.common.APIMgtLatencyStatsHandler",
        "APIMgtLatencyStatsHandler",
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
        if context[property: SynapseProperty.backendRequestTime] != nil,
            context[property: APIManagerProperty.backendRequestEndTime] == nil
        {
            let answered = context[property: SynapseProperty.responseTime]?.stringValue
            let time = answered.flatMap { Int($0) } ?? Int(recorder.clock.millisecondsSinceEpoch())
            context[property: APIManagerProperty.backendRequestEndTime] = .integer(time)
        }
        recorder.recordResponse(&context, resource: context.dispatchedResource, api: apiMetrics)
        return .proceed
    }

    public func bound(to deployment: GatewayHandlerDeployment) -> any GatewayHandler {
        var handler = self
        handler.apiMetrics = recorder.metrics?.handles(api: deployment.api.name, version: deployment.api.version ?? "")
        return handler
    }
}
