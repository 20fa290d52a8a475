public import SluiceModel
internal import SluiceXML

/// `<payloadFactory media-type=json|xml|text [template-type=]><format>...</format><args><arg .../></args>`.
public struct PayloadFactoryMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "payloadFactory"

    public var mediaType: MediaType
    /// The inline template with `$1..$n` placeholders: for XML, the serialized child element; for JSON and text,
    /// the text.
    public var format: String
    /// `<format key="..."/>`: the template comes from a named resource instead.
    public var formatKey: String?
    public var arguments: [Argument]

    public init(mediaType: MediaType, format: String, formatKey: String? = nil, arguments: [Argument] = []) {
        self.mediaType = mediaType
        self.format = format
        self.formatKey = formatKey
        self.arguments = arguments
    }

    public enum MediaType: String, Sendable, Hashable, CaseIterable {
        case xml
        case json
        /// Plain text (`text/plain`), Synapse's `<text xmlns="http://ws.apache.org/commons/ns/payload">` payload.
        case text
    }

    /// `<arg value=|expression= [evaluator=xml|json] [literal=true]/>`.
    public struct Argument: Sendable, Hashable {
        public var value: ValueSource
        public var evaluator: MediaType?
        /// `literal="true"`: never parse the value as JSON/XML when substituting.
        public var literal: Bool

        public init(value: ValueSource, evaluator: MediaType? = nil, literal: Bool = false) {
            self.value = value
            self.evaluator = evaluator
            self.literal = literal
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledPayloadFactoryMediator(self, location: compilation.location)
    }
}

extension MediatorNode {
    /// A `<payloadFactory>` node.
    public static func payloadFactory(_ mediator: PayloadFactoryMediator) -> MediatorNode { MediatorNode(mediator) }
}
