public import SluiceMediation
import SluiceAnalytics
import SluiceModel
import SluiceSecurity
import SluiceThrottling

extension GatewayHandlerRegistry {
    /// The registry of ``apiManager(keyValidation:throttle:usage:statuses:base:)`` over parts that never run: the
    /// same handler class names and the same checks of their properties, to compile artifacts without serving
    /// them (`sluice validate`). A handler built from it refuses every key and counts nothing.
    public static var apiManagerForChecking: GatewayHandlerRegistry {
        apiManager(
            keyValidation: .immediate { _ in .denied(.invalidCredentials) },
            throttle: ThrottleEngine(catalog: ThrottleTierCatalog()),
            usage: UsageRecorder(queue: nil)
        )
    }
}
