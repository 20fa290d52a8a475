#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address or a CIDR block (`10.0.0.0/8`, `fd00::/8`): trusted proxies, API key IP restrictions.
public struct IPAddressBlock: Sendable, Hashable {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]
    /// Leading bits that must match.
    public let prefixLength: Int

    /// Parses `10.1.2.3`, `::1`, `10.0.0.0/8` or `fd00::/8`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = Self.parseAddress(parts[0]) else { return nil }
        var prefixLength = address.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...prefixLength).contains(length) else { return nil }
            prefixLength = length
        }
        self.bytes = address
        self.prefixLength = prefixLength
    }

    /// Whether the address (as ``parseAddress(_:)`` gives it) lies in the block; IPv4 never matches IPv6.
    public func contains(_ address: [UInt8]) -> Bool {
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

    /// 4 bytes for IPv4, 16 for IPv6 (an IPv4-mapped IPv6 address counts as IPv4); nil for anything else.
    public static func parseAddress(_ text: some StringProtocol) -> [UInt8]? {
        let text = String(text)
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
