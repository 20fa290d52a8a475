public import SluiceModel

/// `<xslt key= [source=] [target=] [useCache=]><property name= value|expression=/>* <feature name= value=/>*
/// <attribute name= value=/>* <resource location= key=/>*</xslt>`: transforms the element `source` selects (by
/// default the payload's root, the first child of the SOAP body) with the XSLT stylesheet in the local entry `key`,
/// and puts the result in its place (or in the property `target`).
public struct XSLTMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "xslt"

    /// The local entry holding the stylesheet (`{...}` for a dynamic key, which Sluice refuses at deploy time).
    public var key: String
    public var source: SynapseExpression?
    /// A default-scope property that receives the result instead of the message.
    public var target: String?
    public var useCache: Bool?
    /// Top-level stylesheet parameters (`xsl:param`), passed as strings.
    public var parameters: [NamedValue]
    /// TransformerFactory features; kept for round trips (see `CompiledXSLTMediator`).
    public var features: [Feature]
    /// TransformerFactory attributes; kept for round trips, libxslt has no equivalent.
    public var attributes: [Attribute]
    /// Where `xsl:import`/`xsl:include` locations resolve; refused at deploy time (stylesheets load nothing).
    public var resources: [ValidateMediator.Resource]

    public init(
        key: String,
        source: SynapseExpression? = nil,
        target: String? = nil,
        useCache: Bool? = nil,
        parameters: [NamedValue] = [],
        features: [Feature] = [],
        attributes: [Attribute] = [],
        resources: [ValidateMediator.Resource] = []
    ) {
        self.key = key
        self.source = source
        self.target = target
        self.useCache = useCache
        self.parameters = parameters
        self.features = features
        self.attributes = attributes
        self.resources = resources
    }

    public typealias Feature = ValidateMediator.Feature

    public struct Attribute: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledXSLTMediator(self, compilation: &compilation)
    }
}

extension MediatorNode {
    /// An `<xslt>` node.
    public static func xslt(_ mediator: XSLTMediator) -> MediatorNode { MediatorNode(mediator) }
}
