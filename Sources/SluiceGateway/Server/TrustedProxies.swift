#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import NIOHTTP1

/// The proxies whose `X-Forwarded-For` the gateway believes (`<TrustedProxies>` in api-manager.xml).
///
/// The client address that anonymous throttling, usage and `clientIP` see is the connection's peer. Only when
/// the peer is a trusted proxy does the gateway read `X-Forwarded-For`, from the right: the first address that
/// is not itself a trusted proxy is the client. A client that writes the header itself therefore changes
/// nothing (it used to choose its own throttle key with it).
public struct TrustedProxies: Sendable, Hashable {
    /// An address or a CIDR block, as 4 or 16 bytes and a prefix length.
    struct Block: Sendable, Hashable {
        var bytes: [UInt8]
        var prefixLength: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var remaining = prefixLength
            for (lhs, rhs) in zip(address, bytes) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if lhs & mask != rhs & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    /// A `<TrustedProxies>` entry that is neither an IP address nor a CIDR block.
    public struct InvalidEntry: Error, Sendable, Hashable, CustomStringConvertible {
        public var entry: String
        public var description: String {
            "'\(entry)' in <TrustedProxies> is not an IP address or a CIDR block (10.0.0.0/8, fd00::/8)"
        }
    }

    private let blocks: [Block]

    /// No trusted proxy: the peer is always the client.
    public static let none = TrustedProxies(blocks: [])

    private init(blocks: [Block]) {
        self.blocks = blocks
    }

    /// - Parameter entries: IP addresses (`10.1.2.3`, `::1`) and CIDR blocks (`10.0.0.0/8`, `fd00::/8`).
    /// - Throws: `InvalidEntry` for the first entry that is neither.
    public init(_ entries: [String]) throws(InvalidEntry) {
        var blocks: [Block] = []
        for entry in entries {
            let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let address = Self.parse(String(parts[0])) else { throw InvalidEntry(entry: entry) }
            var prefixLength = address.count * 8
            if parts.count == 2 {
                guard let length = Int(parts[1]), (0...prefixLength).contains(length) else {
                    throw InvalidEntry(entry: entry)
                }
                prefixLength = length
            }
            blocks.append(Block(bytes: address, prefixLength: prefixLength))
        }
        self.blocks = blocks
    }

    /// True when no proxy is trusted.
    public var isEmpty: Bool { blocks.isEmpty }

    /// Whether `address` (a textual IP address) belongs to a trusted proxy.
    public func isTrusted(_ address: Substring) -> Bool {
        guard !blocks.isEmpty, let bytes = Self.parse(String(address)) else { return false }
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

    /// 4 bytes for IPv4, 16 for IPv6 (an IPv4-mapped IPv6 address counts as IPv4); nil for anything else.
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return Array(bytes[12...])
        }
        return bytes
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
