/// A `<localEntry key= [src=]>` artifact: a named value every mediator that takes a key can use (payloadFactory
/// formats, enrich sources, validate schemas, sequence and endpoint keys, `get-property('key')`).
public struct LocalEntry: Sendable, Hashable {
    public var key: String
    /// `src="file:..."`: where the content was loaded from when the artifact was read; nil for inline content.
    public var source: String?
    /// The value: inline, or loaded from `source`.
    public var content: Content
    /// `<description>`: documentation only.
    public var description: String?
    @DiagnosticOnly public var location: SourceLocation?

    public init(
        key: String,
        source: String? = nil,
        content: Content,
        description: String? = nil,
        location: SourceLocation? = nil
    ) {
        self.key = key
        self.source = source
        self.content = content
        self.description = description
        self.location = location
    }

    /// What a local entry holds.
    public enum Content: Sendable, Hashable {
        /// Text (a JSON payload format, a JSON schema, a plain value).
        case text(String)
        /// One XML element, serialized standalone (an XML schema, a payload format...).
        case xml(String)
        /// A `<sequence>`: usable as `<sequence key=>` and wherever a sequence is named.
        case sequence(SequenceDefinition)
        /// An `<endpoint>`: usable as `<endpoint key=>`.
        case endpoint(EndpointDefinition)

        /// The content as text: the text itself, or the XML markup.
        public var text: String? {
            switch self {
            case .text(let text), .xml(let text): text
            case .sequence, .endpoint: nil
            }
        }
    }
}
