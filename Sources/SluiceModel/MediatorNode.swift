/// The configuration of one kind of mediator as written in an artifact: a node type of the mediation AST.
///
/// Every mediator type Sluice implements adopts this through the mediation module's `SynapseMediator`, which adds
/// its XML reader and writer and what it compiles to; the mediation module lists each of them once in its
/// `MediatorCatalog`. Nothing here runs.
public protocol MediatorConfiguration: Sendable, Hashable {
    /// The XML element name of this mediator, e.g. `log`.
    static var elementName: String { get }
}

/// One mediator of a sequence, as written in the artifact (the mediation AST).
///
/// The mediation runtime compiles these into executable mediators at deploy time; nothing here runs.
public struct MediatorNode: Sendable, Hashable, CustomStringConvertible {
    /// The mediator's configuration, e.g. a `LogMediator`.
    public let configuration: any MediatorConfiguration

    /// Wraps a mediator's configuration.
    public init(_ configuration: some MediatorConfiguration) {
        self.configuration = configuration
    }

    /// The XML element name of this mediator.
    public var elementName: String { type(of: configuration).elementName }

    /// The configuration when it is of type `type`, else nil.
    public func `as`<Configuration: MediatorConfiguration>(_ type: Configuration.Type) -> Configuration? {
        configuration as? Configuration
    }

    public static func == (lhs: MediatorNode, rhs: MediatorNode) -> Bool {
        lhs.configuration.isEqual(to: rhs.configuration)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(type(of: configuration)))
        configuration.hash(into: &hasher)
    }

    public var description: String { String(describing: configuration) }
}

extension MediatorConfiguration {
    fileprivate func isEqual(to other: any MediatorConfiguration) -> Bool {
        guard let other = other as? Self else { return false }
        return self == other
    }
}

/// A literal value or an expression evaluated at run time (`value=` versus `expression=`).
public enum ValueSource: Sendable, Hashable {
    case literal(String)
    case expression(SynapseExpression)
}

/// A `<property name= value|expression/>` child, as `log` and `class` mediators use them.
public struct NamedValue: Sendable, Hashable {
    public var name: String
    public var value: ValueSource

    public init(name: String, value: ValueSource) {
        self.name = name
        self.value = value
    }
}
