import SluiceModel
public import NIOHTTP1

/// The proxies whose `X-Forwarded-For` the gateway believes (`<TrustedProxies>` in api-manager.xml).
///
/// The client address that anonymous throttling, usage and `clientIP` see is the connection's peer. Only when
/// the peer is a trusted proxy does the gateway read `X-Forwarded-For`, from the right: the first address that
/// is not itself a trusted proxy is the client. A client that writes the header itself therefore changes
/// nothing (it used to choose its own throttle key with it).
public struct TrustedProxies: Sendable, Hashable {
    /// A `<TrustedProxies>` entry that is neither an IP address nor a CIDR block.
    public struct InvalidEntry: Error, Sendable, Hashable, CustomStringConvertible {
        public var entry: String
        public var description: String {
            "'\(entry)' in <TrustedProxies> is not an IP address or a CIDR block (10.0.0.0/8, fd00::/8)"
        }
    }

    private let blocks: [IPAddressBlock]

    /// No trusted proxy: the peer is always the client.
    public static let none = TrustedProxies(blocks: [])

    private init(blocks: [IPAddressBlock]) {
        self.blocks = blocks
    }

    /// - Parameter entries: IP addresses (`10.1.2.3`, `::1`) and CIDR blocks (`10.0.0.0/8`, `fd00::/8`).
    /// - Throws: `InvalidEntry` for the first entry that is neither.
    public init(_ entries: [String]) throws(InvalidEntry) {
        var blocks: [IPAddressBlock] = []
        for entry in entries {
            guard let block = IPAddressBlock(entry) else { throw InvalidEntry(entry: entry) }
            blocks.append(block)
        }
        self.blocks = blocks
    }

    /// True when no proxy is trusted.
    public var isEmpty: Bool { blocks.isEmpty }

    /// Whether `address` (a textual IP address) belongs to a trusted proxy.
    public func isTrusted(_ address: Substring) -> Bool {
        guard !blocks.isEmpty, let bytes = IPAddressBlock.parseAddress(address) else { return false }
        return blocks.contains { $0.contains(bytes) }
    }

    /// The client's address: `peer`, unless `peer` is a trusted proxy; then the right-most `X-Forwarded-For`
    /// entry that is not a trusted proxy (or the left-most entry when all are).
    /// - Parameters:
    ///   - peer: The connection's remote address.
    ///   - headers: The request headers.
    public func clientAddress(peer: String?, headers: HTTPHeaders) -> String? {
        guard !blocks.isEmpty, let peer, isTrusted(peer[...]) else { return peer }
        let chain = headers[canonicalForm: "X-Forwarded-For"]
            .map { $0.trimmingSpaces() }
            .filter { !$0.isEmpty }
        guard !chain.isEmpty else { return peer }
        for hop in chain.reversed() where !isTrusted(hop) {
            return String(hop)
        }
        return String(chain[0])
    }
}
