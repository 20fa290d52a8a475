public import SluiceMediation

/// A handler that does nothing: the place WSO2 handler classes with no meaning in Sluice take in a chain, so
/// artifacts that name them deploy unchanged (`APIMgtGoogleAnalyticsTrackingHandler`: Sluice sends nothing to
/// Google Analytics).
public struct NoOpHandler: GatewayHandler {
    /// WSO2 class names accepted and ignored.
    public static let classNames =
        [
            "org.wso2.carbon.apimgt.gateway.handlers.analytics.APIMgtGoogleAnalyticsTrackingHandler",
            "org.wso2.carbon.apimgt.usage.publisher.APIMgtGoogleAnalyticsTrackingHandler",
            "org.wso2.carbon.apimgt.gateway.handlers.usage.publisher.APIMgtGoogleAnalyticsTrackingHandler",
            // Deploys with a warning (GatewayHandlerSpec.limitedClasses): revocations reach gateways otherwise.
            "org.wso2.carbon.apimgt.gateway.handlers.ext.APIManagerCacheExtensionHandler",
        ]

    /// Creates the handler.
    public init() {}

    public func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision {
        .proceed
    }
}
