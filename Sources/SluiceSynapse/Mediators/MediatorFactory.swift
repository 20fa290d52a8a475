import SluiceModel

/// Builds one kind of mediator from its XML element (Synapse's `MediatorFactory`).
protocol MediatorFactory: Sendable {
    /// The element name this factory reads, e.g. `property`.
    var elementName: String { get }
    /// Builds the mediator, or returns nil after reporting what is wrong through `reader`.
    func makeMediator(from element: XMLElementNode, reader: ArtifactReader) -> MediatorNode?
}

/// Writes one kind of mediator back to XML.
protocol MediatorSerializer: Sendable {
    /// The element name this serializer writes; matches `MediatorNode.elementName`.
    var elementName: String { get }
    func write(_ mediator: MediatorNode, to writer: XMLWriter)
}

/// Finds the factory or serializer for a mediator element (Synapse's `MediatorFactoryFinder`).
enum MediatorFactoryFinder {
    private static let factories: [String: any MediatorFactory] = index([
        SendMediatorFactory(), CallMediatorFactory(), LoopbackMediatorFactory(), RespondMediatorFactory(),
        DropMediatorFactory(), PropertyMediatorFactory(), HeaderMediatorFactory(), LogMediatorFactory(),
        FilterMediatorFactory(), PayloadFactoryMediatorFactory(), SequenceMediatorFactory(),
        EnrichMediatorFactory(), ClassMediatorFactory(),
    ])

    private static let serializers: [String: any MediatorSerializer] = index([
        SendMediatorSerializer(), CallMediatorSerializer(), LoopbackMediatorSerializer(),
        RespondMediatorSerializer(), DropMediatorSerializer(), PropertyMediatorSerializer(),
        HeaderMediatorSerializer(), LogMediatorSerializer(), FilterMediatorSerializer(),
        PayloadFactoryMediatorSerializer(), SequenceMediatorSerializer(), EnrichMediatorSerializer(),
        ClassMediatorSerializer(),
    ])

    /// The factory for an element name, or nil for an unknown mediator.
    static func factory(for elementName: String) -> (any MediatorFactory)? { factories[elementName] }

    /// The serializer for a mediator.
    static func serializer(for mediator: MediatorNode) -> (any MediatorSerializer)? {
        serializers[mediator.elementName]
    }

    /// Every element name with a factory.
    static var elementNames: [String] { factories.keys.sorted() }

    private static func index(_ factories: [any MediatorFactory]) -> [String: any MediatorFactory] {
        Dictionary(factories.map { ($0.elementName, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private static func index(_ serializers: [any MediatorSerializer]) -> [String: any MediatorSerializer] {
        Dictionary(serializers.map { ($0.elementName, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

extension XMLWriter {
    /// Writes mediators through their registered serializers.
    func mediators(_ mediators: [MediatorNode]) {
        for mediator in mediators {
            MediatorFactoryFinder.serializer(for: mediator)?.write(mediator, to: self)
        }
    }

    /// The namespace declarations an expression needs.
    static func namespaces(of value: ValueSource?) -> [String: String] {
        if case .expression(let expression)? = value { return expression.namespaces }
        return [:]
    }

    /// `value=` and `expression=` attribute values for a value source.
    static func valueAttributes(_ value: ValueSource?) -> (value: String?, expression: String?) {
        switch value {
        case .literal(let text)?: (text, nil)
        case .expression(let expression)?: (nil, expression.source)
        case nil: (nil, nil)
        }
    }

    /// Writes `<property name= value|expression/>` children.
    func namedValues(_ values: [NamedValue]) {
        for property in values {
            let (value, expression) = Self.valueAttributes(property.value)
            element(
                "property",
                ["name": property.name, "value": value, "expression": expression],
                namespaces: Self.namespaces(of: property.value)
            )
        }
    }
}
