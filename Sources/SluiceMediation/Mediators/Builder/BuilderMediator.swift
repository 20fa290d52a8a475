public import SluiceModel

/// `<builder>` (WSO2's relay BuilderMediator): builds the message now with the builder named for its content type,
/// instead of leaving it to the first mediator that reads it. Two forms, as WSO2's factory reads them:
/// `<builder><messageBuilder contentType= class= [formatterClass=]/>+</builder>` (a builder per content type), and
/// `<builder class= formatterClass=/>` (one builder for every content type).
///
/// Sluice has no Java builders: each known Axis2 class stands for the Sluice builder of the same format
/// (`MessageBuilderClass`), and an unknown class is refused when the artifact is read.
public struct BuilderMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "builder"

    /// `<messageBuilder>`: the builder (and optionally the formatter) for one content type.
    public struct MessageBuilder: Sendable, Hashable {
        public var contentType: String
        public var builderClass: String
        public var formatterClass: String?

        public init(contentType: String, builderClass: String, formatterClass: String? = nil) {
            self.contentType = contentType
            self.builderClass = builderClass
            self.formatterClass = formatterClass
        }
    }

    /// The builder and formatter for every content type (`class=` and `formatterClass=` on `<builder>`).
    public struct SpecifiedBuilder: Sendable, Hashable {
        public var builderClass: String
        public var formatterClass: String

        public init(builderClass: String, formatterClass: String) {
            self.builderClass = builderClass
            self.formatterClass = formatterClass
        }
    }

    public var specified: SpecifiedBuilder?
    public var messageBuilders: [MessageBuilder]

    public init(specified: SpecifiedBuilder? = nil, messageBuilders: [MessageBuilder] = []) {
        self.specified = specified
        self.messageBuilders = messageBuilders
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledBuilderMediator(self, compilation: compilation)
    }
}

extension MediatorNode {
    /// A `<builder>` node.
    public static func builder(_ mediator: BuilderMediator) -> MediatorNode { MediatorNode(mediator) }
}
