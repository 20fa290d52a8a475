import SluiceModel

/// Maps `<class name="...">` class names to Swift mediators; an unknown name fails deployment.
///
/// The standard registry knows the class mediators WSO2's publisher writes into generated sequences:
///
/// - `APIMgtResponseHandler` (`org.wso2.carbon.apimgt.usage.publisher.` and
///   `org.wso2.carbon.apimgt.gateway.handlers.analytics.`): `APIMgtResponseMediator`, which records response
///   time, backend time and response code.
/// - `APIMgtFaultHandler` (same two packages): `APIMgtFaultMediator`, which records fault time and error code.
/// - `org.wso2.carbon.apimgt.gateway.mediators.BotDetectionMediator` (WSO2's `_OpenService_` bot trap):
///   `BotDetectionMediator`, which records and logs the caller.
///
/// - Apache Synapse's EIP library functions (`org.apache.synapse.libraries.eip.ContentBasedRouterMediator`,
///   `DynamicRouterMediator`, `CalloutBlockMediator`), which read the parameters of the template calling them
///   and route or call out (`EIPLibraryMediators`).
///
/// It refuses by design, with the reason, WSO2's `webhooks.DeliveryStatusUpdater` (its `webhooksFaultSequence`):
/// Sluice serves no WebSub (webhook) APIs.
public struct ClassMediatorRegistry: Sendable {
    /// Builds a mediator from its `<class>` element; throws when its properties are unusable.
    public typealias Factory = @Sendable (ClassMediator) throws -> any Mediator
    /// Builds a mediator that works with the deployed program (enters named sequences, calls out), which the
    /// public `Mediator` protocol cannot do; Sluice's own library mediators only.
    typealias ProgramFactory = @Sendable (ClassMediator, inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator

    private enum Entry {
        case mediator(Factory)
        case program(ProgramFactory)
    }

    private var factories: [String: Entry] = [:]

    /// An empty registry.
    public init() {}

    /// The standard registry with the system clock.
    public static var standard: ClassMediatorRegistry { standard(clock: .system) }

    /// The standard registry reading time from `clock`.
    /// - Parameters:
    ///   - clock: The wall clock the mediators stamp records with.
    ///   - botAccesses: Where `BotDetectionMediator` hands its records; nil logs them only.
    public static func standard(clock: EpochClock, botAccesses: (any BotAccessSink)? = nil) -> ClassMediatorRegistry {
        var registry = ClassMediatorRegistry()
        registry.register(names: APIMgtResponseMediator.classNames) { _ in APIMgtResponseMediator(clock: clock) }
        registry.register(names: APIMgtFaultMediator.classNames) { _ in APIMgtFaultMediator(clock: clock) }
        // One table of addresses for every deployment, as WSO2's cache outlives redeploys.
        let botThrottle = BotAccessThrottle()
        registry.register(names: BotDetectionMediator.classNames) { node in
            try BotDetectionMediator(node, throttle: botThrottle, sink: botAccesses, clock: clock)
        }
        EIPLibraryMediators.register(in: &registry)
        registry.register(names: [Self.webhookDeliveryStatusUpdater]) { node in
            throw MediationCompileError(
                .unsupported(
                    "class mediator '\(node.className)' (WSO2's webhooksFaultSequence) is refused by design: it records "
                        + "whether a webhook (WebSub) subscriber's callback received an event, and Sluice serves no "
                        + "WebSub or webhook APIs, so no message can reach it"
                )
            )
        }
        return registry
    }

    /// WSO2's mediator recording webhook deliveries, refused by design (no WebSub APIs here).
    static let webhookDeliveryStatusUpdater = "org.wso2.carbon.apimgt.gateway.mediators.webhooks.DeliveryStatusUpdater"

    /// Registers a factory under one or more class names (a later registration of a name wins).
    public mutating func register(names: [String], factory: @escaping Factory) {
        for name in names { factories[name] = .mediator(factory) }
    }

    /// Registers a mediator that runs with the deployed program under one or more class names.
    mutating func register(names: [String], program factory: @escaping ProgramFactory) {
        for name in names { factories[name] = .program(factory) }
    }

    /// True when `className` has a factory.
    public func contains(_ className: String) -> Bool {
        factories[className] != nil
    }

    /// Builds the mediator for a `<class>` node.
    /// - Throws: `MediationCompileError` (`unknownClassMediator` or `invalidConfiguration`) at `location`.
    public func makeMediator(
        _ node: ClassMediator,
        location: SourceLocation?
    ) throws(MediationCompileError) -> any Mediator {
        guard case .mediator(let factory)? = factories[node.className] else {
            throw MediationCompileError(.unknownClassMediator(node.className), location: location)
        }
        do {
            return try factory(node)
        } catch let error as MediationCompileError {
            // Factories know the element, not where it is: the error gets the artifact's place.
            var placed = error
            if placed.location == nil { placed.location = location }
            throw placed
        } catch {
            throw MediationCompileError(
                .invalidConfiguration(className: node.className, reason: String(describing: error)),
                location: location
            )
        }
    }

    /// The compiled mediator for a `<class>` node: a program mediator's own, else a `Mediator` wrapped to run.
    /// - Throws: `MediationCompileError` as `makeMediator(_:location:)` does.
    func compile(_ node: ClassMediator, _ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        if case .program(let factory)? = factories[node.className] {
            do {
                return try factory(node, &compilation)
            } catch {
                var placed = error
                if placed.location == nil { placed.location = compilation.location }
                throw placed
            }
        }
        return CompiledClassMediator(name: node.className, mediator: try makeMediator(node, location: compilation.location))
    }
}
