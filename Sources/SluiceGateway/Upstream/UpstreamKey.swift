/// A backend the pool keeps connections to: host, port, and whether it speaks HTTPS.
public struct UpstreamKey: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int
    /// HTTPS: connections run a TLS handshake (verified against the gateway's backend trust) before HTTP.
    public let isTLS: Bool

    public init(host: String, port: Int, isTLS: Bool = false) {
        self.host = host
        self.port = port
        self.isTLS = isTLS
    }

    public var description: String { (isTLS ? "https://" : "") + "\(host):\(port)" }
}
