import SluiceModel

/// Maps handler class names (WSO2's `org.wso2.carbon.apimgt.gateway.handlers...` names and Sluice's short
/// names) to factories, and builds compiled handler chains from an API's `<handlers>`.
public struct GatewayHandlerRegistry: Sendable {
    /// Builds a handler from its `<handler>` element; throws when the properties are unusable.
    public typealias Factory = @Sendable (GatewayHandlerSpec) throws -> any GatewayHandler

    private var factories: [String: Factory] = [:]

    /// An empty registry.
    /// The counters the `<throttle>` mediator counts with: the API Manager handlers set their throttle counter
    /// store here, so mediator limits share its memory; nil refuses `<throttle>` at deploy time.
    public var throttleCounters: (any MediationThrottleCounters)?

    public init() {}

    /// The handlers Sluice ships today: `RequestIDHandler` and `HeaderInjectionHandler` (under their short
    /// names and `org.sluice.gateway.handlers.<Name>`).
    public static var standard: GatewayHandlerRegistry {
        var registry = GatewayHandlerRegistry()
        registry.register(names: RequestIDHandler.classNames) { try RequestIDHandler(spec: $0) }
        registry.register(names: HeaderInjectionHandler.classNames) { try HeaderInjectionHandler(spec: $0) }
        return registry
    }

    /// Registers a factory under one or more class names (a later registration of a name wins).
    public mutating func register(names: [String], factory: @escaping Factory) {
        for name in names { factories[name] = factory }
    }

    /// True when `className` has a factory.
    public func contains(_ className: String) -> Bool {
        factories[className] != nil
    }

    /// Builds one handler.
    /// - Throws: `MediationCompileError` (`unknownHandler` or `invalidConfiguration`) at the spec's location.
    public func makeHandler(_ spec: GatewayHandlerSpec) throws(MediationCompileError) -> any GatewayHandler {
        guard let factory = factories[spec.className] else {
            throw MediationCompileError(.unknownHandler(spec.className), location: spec.location)
        }
        do {
            return try factory(spec)
        } catch let error as MediationCompileError {
            throw error
        } catch {
            throw MediationCompileError(
                .invalidConfiguration(className: spec.className, reason: String(describing: error)),
                location: spec.location
            )
        }
    }

    /// Builds the chain for an API's `<handlers>`, in document order.
    /// - Throws: `MediationCompileError` for the first handler that cannot be built.
    public func makeChain(_ specs: [GatewayHandlerSpec]) throws(MediationCompileError) -> GatewayHandlerChain {
        var entries: [(className: String, handler: any GatewayHandler)] = []
        for spec in specs {
            entries.append((spec.className, try makeHandler(spec)))
        }
        return GatewayHandlerChain(entries)
    }

    /// Builds the chain for an API's `<handlers>` and binds each handler to the deployment
    /// (``GatewayHandler/bound(to:)``), so handlers find the named sequences they run once, here.
    /// - Throws: `MediationCompileError` for the first handler that cannot be built.
    public func makeChain(_ specs: [GatewayHandlerSpec], deployment: GatewayHandlerDeployment) throws(MediationCompileError)
        -> GatewayHandlerChain
    {
        var entries: [(className: String, handler: any GatewayHandler)] = []
        for spec in specs {
            entries.append((spec.className, try makeHandler(spec).bound(to: deployment)))
        }
        return GatewayHandlerChain(entries)
    }
}
