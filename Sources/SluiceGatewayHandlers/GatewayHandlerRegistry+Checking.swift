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
        var registry = apiManager(
            keyValidation: .immediate { _ in .denied(.invalidCredentials) },
            throttle: ThrottleEngine(catalog: ThrottleTierCatalog()),
            usage: UsageRecorder(queue: nil)
        )
        // A node always gives `<throttle>` its counters (APIManagerGatewayHandlers); checking must compile the
        // mediator as deployment does, not refuse it for want of counters.
        registry.throttleCounters = ThrottleMediatorCounters(store: LocalCounterStore())
        return registry
    }
}
