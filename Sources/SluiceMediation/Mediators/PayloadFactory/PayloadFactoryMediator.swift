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
        guard let formatKey else { return try CompiledPayloadFactoryMediator(self, location: compilation.location) }
        // Synapse looks `<format key=>` up in its registry per message; Sluice's registry is the deployment's local
        // entries (a `conf:`/`gov:` key names the entry of that key), read once here. A key nothing defines faults
        // when a message reaches it, as Synapse's "Key … not found".
        guard !formatKey.hasPrefix("{") else {
            throw compilation.error(.unsupported("payloadFactory format key '\(formatKey)' chosen per message"))
        }
        var resolved = self
        resolved.format = try Self.format(forKey: formatKey, in: compilation)
        resolved.formatKey = nil
        return try CompiledPayloadFactoryMediator(resolved, location: compilation.location)
    }

    /// The local entry's text, or its XML without the whitespace between elements (Synapse's
    /// `removeIndentations` on a registry format).
    private static func format(forKey key: String, in compilation: MediatorCompilation) throws(MediationCompileError) -> String {
        let text = try compilation.resourceText(forKey: key, usedFor: "a payloadFactory format")
        guard case .xml = compilation.scope.localEntries.content(forKey: key) else { return text }
        var result = ""
        var pending = ""
        var afterTag = false
        for character in text {
            if afterTag, character.isWhitespace {
                pending.append(character)
                continue
            }
            // Whitespace between a tag's end and the next tag is indentation; before any other text it is content.
            if character != "<" { result += pending }
            pending = ""
            afterTag = character == ">"
            result.append(character)
        }
        return result + pending
    }
}

extension MediatorNode {
    /// A `<payloadFactory>` node.
    public static func payloadFactory(_ mediator: PayloadFactoryMediator) -> MediatorNode { MediatorNode(mediator) }
}
