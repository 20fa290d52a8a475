public import SluiceModel

/// `<validate [source=] [cache-schema=] [json-source=]><schema key=/>+ <resource location= key=/>* <feature name=
/// value=/>* <on-fail>mediators</on-fail></validate>`: checks the message (by default the payload's root element)
/// against an XML Schema or a JSON Schema taken from a local entry, and runs `on-fail` when it is not valid.
public struct ValidateMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "validate"

    /// What to validate; nil for the payload's root element (the first child of the SOAP body).
    public var source: SynapseExpression?
    /// The local entries holding the schemas.
    public var schemaKeys: [String]
    /// `<resource>`: the local entry holding the document an `import`/`include` `schemaLocation` names.
    public var resources: [Resource]
    /// `<feature>`: JAXP schema-factory switches (`CompiledValidateMediator.checkFeatures`).
    public var features: [Feature]
    public var cacheSchema: Bool?
    public var jsonSource: Bool?
    public var onFail: [MediatorNode]

    public init(
        source: SynapseExpression? = nil,
        schemaKeys: [String],
        resources: [Resource] = [],
        features: [Feature] = [],
        cacheSchema: Bool? = nil,
        jsonSource: Bool? = nil,
        onFail: [MediatorNode]
    ) {
        self.source = source
        self.schemaKeys = schemaKeys
        self.resources = resources
        self.features = features
        self.cacheSchema = cacheSchema
        self.jsonSource = jsonSource
        self.onFail = onFail
    }

    public struct Resource: Sendable, Hashable {
        public var location: String
        public var key: String

        public init(location: String, key: String) {
            self.location = location
            self.key = key
        }
    }

    public struct Feature: Sendable, Hashable {
        public var name: String
        public var enabled: Bool

        public init(name: String, enabled: Bool) {
            self.name = name
            self.enabled = enabled
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledValidateMediator(self, compilation: &compilation)
    }
}

extension MediatorNode {
    /// A `<validate>` node.
    public static func validate(_ mediator: ValidateMediator) -> MediatorNode { MediatorNode(mediator) }
}
