public import NIOCore

/// How the deployer fetches the http(s) documents artifacts name (`<localEntry src=>`, `<wsdl uri=>`).
public struct NetworkFetchLimits: Sendable, Hashable {
    /// The longest one fetch may take, redirects included (30 s; Synapse's own defaults are a 20 s connect and a
    /// 100 s read timeout).
    public var timeout: TimeAmount
    /// The largest document accepted (10 MiB, the artifact file limit).
    public var maxBytes: Int
    /// Fetch nothing: every such document is a warning (`sluice validate --offline`).
    public var offline: Bool

    /// - Parameters: see the properties.
    public init(timeout: TimeAmount = .seconds(30), maxBytes: Int = 10 * 1024 * 1024, offline: Bool = false) {
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.offline = offline
    }
}
