/// Where the management app listens and how much it accepts.
public struct ManagementConfiguration: Sendable {
    /// The address to bind (loopback by default).
    public var host: String
    /// 9763, as WSO2's management HTTP port; 0 picks a free port.
    public var port: Int
    /// The largest form or JSON body accepted, in bytes.
    public var maximumBodySize: Int

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 9763, maximumBodySize: Int = 16 * 1024) {
        self.host = host
        self.port = port
        self.maximumBodySize = maximumBodySize
    }
}
