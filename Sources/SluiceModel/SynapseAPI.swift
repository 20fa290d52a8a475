/// A Synapse REST API artifact: `<api name= context= ...>` with its resources and handler chain.
public struct SynapseAPI: Sendable, Hashable {
    /// `name`; the publisher writes `provider--ApiName`.
    public var name: String
    /// `context`, starting with `/`; may hold `{version}` when `versionType` is `.context`.
    public var context: String
    /// `version`; when present, `versionType` is mandatory.
    public var version: String?
    public var versionType: VersionType?
    /// `hostname`: when set, only requests whose Host matches are dispatched to this API.
    public var hostname: String?
    /// `port`: when set, only requests received on this port are dispatched to this API.
    public var port: Int?
    /// `transports` (WSO2) or `transport` (Apache Synapse): `http`, `https`, or both when absent or empty.
    public var transports: [Transport]?
    public var statistics: Bool
    public var trace: Bool
    public var resources: [APIResource]
    /// The first `<handlers>` element, in document order (Synapse reads only the first one).
    public var handlers: [GatewayHandlerSpec]
    @DiagnosticOnly public var location: SourceLocation?

    public init(
        name: String,
        context: String,
        version: String? = nil,
        versionType: VersionType? = nil,
        hostname: String? = nil,
        port: Int? = nil,
        transports: [Transport]? = nil,
        statistics: Bool = false,
        trace: Bool = false,
        resources: [APIResource] = [],
        handlers: [GatewayHandlerSpec] = [],
        location: SourceLocation? = nil
    ) {
        self.name = name
        self.context = context
        self.version = version
        self.versionType = versionType
        self.hostname = hostname
        self.port = port
        self.transports = transports
        self.statistics = statistics
        self.trace = trace
        self.resources = resources
        self.handlers = handlers
        self.location = location
    }

    /// The context requests are matched against: `{version}` substituted for `.context` versioning,
    /// `context/version` for `.url` versioning, the plain context otherwise.
    public var effectiveContext: String {
        guard let version else { return context }
        switch versionType {
        case .context?: return context.replacing("{version}", with: version)
        case .url?: return context.hasSuffix("/") ? context + version : context + "/" + version
        case nil: return context
        }
    }

    /// How the version takes part in dispatching (`version-type`).
    public enum VersionType: String, Sendable, Hashable, CaseIterable {
        /// `context/<version>/...` (Apache Synapse `URLBasedVersionStrategy`).
        case url
        /// `{version}` inside the context is replaced by the version (WSO2 `ContextVersionStrategy`).
        case context
    }

    public enum Transport: String, Sendable, Hashable, CaseIterable {
        case http
        case https
    }
}
