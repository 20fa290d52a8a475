public import SluiceModel

/// `<cache>`: Synapse's response cache, in both of its forms.
///
/// The finder (`collector="false"`, the default) digests the request; when a response for the same digest is
/// cached and fresh it becomes the message and is answered (or `<onCacheHit>` runs), otherwise the request goes on
/// and the digest waits on the message for the collector. The collector (`collector="true"`, normally in the out
/// sequence) stores the response under that digest.
///
/// - Older Synapse form: `<cache [id=] [scope=] collector= [hashGenerator=] [timeout=] [maxMessageSize=]>
///   <onCacheHit [sequence=]>mediators</onCacheHit>? <implementation type="memory" maxSize=/>? </cache>`.
/// - WSO2 4.x form: `<cache [timeout=] [collector=] [maxMessageSize=]> <onCacheHit/>? <protocol type="HTTP">
///   <methods/> <headersToExcludeInHash/> <headersToIncludeInHash/> <responseCodes/> <enableCacheControl/>
///   <includeAgeHeader/> <hashGenerator/> </protocol>? <implementation maxSize=/>? </cache>`.
public struct CacheMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "cache"

    /// `id=` (older form); kept for round trips: the collector finds the finder's cache through the message.
    public var id: String?
    /// `scope="per-host|per-mediator"` (older form); one node holds one cache per finder either way.
    public var scope: String?
    /// True for the collector (stores responses), false for the finder.
    public var collector: Bool
    /// `hashGenerator=` of the older form.
    public var hashGenerator: String?
    /// `timeout=`: seconds a cached response stays fresh; nil for Synapse's default.
    public var timeout: Int?
    /// `maxMessageSize=`: the largest response body (bytes) cached; nil or not positive for no limit.
    public var maxMessageSize: Int?
    /// `<onCacheHit>`: what runs on a hit instead of answering with the cached response directly.
    public var onCacheHit: OnCacheHit?
    /// `<protocol type="HTTP">` of the WSO2 4.x form.
    public var protocolSettings: ProtocolSettings?
    /// `<implementation [type=] [maxSize=]/>`.
    public var implementation: Implementation?

    /// Synapse's default freshness, in seconds.
    public static let defaultTimeout = 5000
    /// Synapse's default number of cached responses.
    public static let defaultMaxSize = 1000

    public init(
        id: String? = nil,
        scope: String? = nil,
        collector: Bool = false,
        hashGenerator: String? = nil,
        timeout: Int? = nil,
        maxMessageSize: Int? = nil,
        onCacheHit: OnCacheHit? = nil,
        protocolSettings: ProtocolSettings? = nil,
        implementation: Implementation? = nil
    ) {
        self.id = id
        self.scope = scope
        self.collector = collector
        self.hashGenerator = hashGenerator
        self.timeout = timeout
        self.maxMessageSize = maxMessageSize
        self.onCacheHit = onCacheHit
        self.protocolSettings = protocolSettings
        self.implementation = implementation
    }

    /// `<onCacheHit sequence="key"/>` or `<onCacheHit>mediators</onCacheHit>`.
    public enum OnCacheHit: Sendable, Hashable {
        case sequence(String)
        case inline([MediatorNode])
    }

    /// `<protocol type="HTTP">`: which requests are cached and how they are digested. Absent children stay nil.
    public struct ProtocolSettings: Sendable, Hashable {
        public var type: String
        /// `<methods>`: the request methods cached; `*` for every method.
        public var methods: [String]?
        /// `<headersToExcludeInHash>`: request headers left out of the digest.
        public var headersToExclude: [String]?
        /// `<headersToIncludeInHash>`: when given, the only request headers in the digest.
        public var headersToInclude: [String]?
        /// `<responseCodes>`: a regular expression the status code must match (whole) to be cached.
        public var responseCodes: String?
        /// `<enableCacheControl>`: honour the response's `Cache-Control` (`no-store`, `no-cache`, `max-age`).
        public var enableCacheControl: Bool?
        /// `<includeAgeHeader>`: add `Age` (seconds in the cache) to cached answers.
        public var includeAgeHeader: Bool?
        /// `<hashGenerator>`: the digest class.
        public var hashGenerator: String?

        public init(
            type: String = "HTTP",
            methods: [String]? = nil,
            headersToExclude: [String]? = nil,
            headersToInclude: [String]? = nil,
            responseCodes: String? = nil,
            enableCacheControl: Bool? = nil,
            includeAgeHeader: Bool? = nil,
            hashGenerator: String? = nil
        ) {
            self.type = type
            self.methods = methods
            self.headersToExclude = headersToExclude
            self.headersToInclude = headersToInclude
            self.responseCodes = responseCodes
            self.enableCacheControl = enableCacheControl
            self.includeAgeHeader = includeAgeHeader
            self.hashGenerator = hashGenerator
        }
    }

    /// `<implementation [type="memory"] [maxSize=]/>`.
    public struct Implementation: Sendable, Hashable {
        public var type: String?
        public var maxSize: Int?

        public init(type: String? = nil, maxSize: Int? = nil) {
            self.type = type
            self.maxSize = maxSize
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        if collector { return CompiledCacheCollector() }
        return try CompiledCacheFinder(self, compilation: &compilation)
    }
}

extension MediatorNode {
    /// A `<cache>` node.
    public static func cache(_ mediator: CacheMediator) -> MediatorNode { MediatorNode(mediator) }
}
