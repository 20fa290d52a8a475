#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address held in two integers, in network order, so addresses of one family compare as their
/// bytes do; parsed without allocating (the gateway parses a client address per call while an address deny policy
/// is enabled). An IPv4-mapped IPv6 address counts as IPv4, as in ``IPAddressBlock/parseAddress(_:)``.
public struct PackedIPAddress: Sendable, Hashable, Comparable {
    public let isIPv6: Bool
    let high: UInt64
    let low: UInt64

    /// The address of 4 or 16 bytes (as ``IPAddressBlock/parseAddress(_:)`` gives it); nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        isIPv6 = bytes.count == 16
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if isIPv6 && index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.high = high
        self.low = low
    }

    /// Parses `10.1.2.3` or `::1`; nil for anything else.
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.init(isIPv6: false, high: 0, low: UInt64(UInt32(bigEndian: v4.s_addr)))
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let (high, low) = withUnsafeBytes(of: &v6) { raw in
            (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
             UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
        if high == 0 && low >> 32 == 0xFFFF {
            self.init(isIPv6: false, high: 0, low: low & 0xFFFF_FFFF)
        } else {
            self.init(isIPv6: true, high: high, low: low)
        }
    }

    private init(isIPv6: Bool, high: UInt64, low: UInt64) {
        self.isIPv6 = isIPv6
        self.high = high
        self.low = low
    }

    /// Orders addresses of one family as their bytes; IPv4 before IPv6 (never compared for ranges).
    public static func < (lhs: PackedIPAddress, rhs: PackedIPAddress) -> Bool {
        (lhs.isIPv6 ? 1 : 0, lhs.high, lhs.low) < (rhs.isIPv6 ? 1 : 0, rhs.high, rhs.low)
    }
}
