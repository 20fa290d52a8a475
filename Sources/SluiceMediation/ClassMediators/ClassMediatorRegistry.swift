import SluiceModel

/// Maps `<class name="...">` class names to Swift mediators; an unknown name fails deployment.
///
/// The standard registry knows the class mediators WSO2's publisher writes into generated sequences:
///
/// - `APIMgtResponseHandler` (`org.wso2.carbon.apimgt.usage.publisher.` and
///   `org.wso2.carbon.apimgt.gateway.handlers.analytics.`): `APIMgtResponseMediator`, which records response
///   time, backend time and response code.
/// - `APIMgtFaultHandler` (same two packages): `APIMgtFaultMediator`, which records fault time and error code.
public struct ClassMediatorRegistry: Sendable {
    /// Builds a mediator from its `<class>` element; throws when its properties are unusable.
    public typealias Factory = @Sendable (ClassMediator) throws -> any Mediator

    private var factories: [String: Factory] = [:]

    /// An empty registry.
    public init() {}

    /// The standard registry with the system clock.
    public static var standard: ClassMediatorRegistry { standard(clock: .system) }

    /// The standard registry reading time from `clock`.
    public static func standard(clock: EpochClock) -> ClassMediatorRegistry {
        var registry = ClassMediatorRegistry()
        registry.register(names: APIMgtResponseMediator.classNames) { _ in APIMgtResponseMediator(clock: clock) }
        registry.register(names: APIMgtFaultMediator.classNames) { _ in APIMgtFaultMediator(clock: clock) }
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

    /// Builds the mediator for a `<class>` node.
    /// - Throws: `MediationCompileError` (`unknownClassMediator` or `invalidConfiguration`) at `location`.
    public func makeMediator(
        _ node: ClassMediator,
        location: SourceLocation?
    ) throws(MediationCompileError) -> any Mediator {
        guard let factory = factories[node.className] else {
            throw MediationCompileError(.unknownClassMediator(node.className), location: location)
        }
        do {
            return try factory(node)
        } catch let error as MediationCompileError {
            throw error
        } catch {
            throw MediationCompileError(
                .invalidConfiguration(className: node.className, reason: String(describing: error)),
                location: location
            )
        }
    }
}
