public import NIOHTTP1

/// RFC 9112 §3.2 for both servers: an HTTP/1.1 request carries exactly one `Host` header, and a `Host` header
/// (in any version) is a valid `uri-host [ ":" port ]`. A server must answer 400 otherwise; serving such a
/// request would let routing, virtual-host filters and logs disagree on which host was asked for.
public enum HostHeaderCheck {
    /// What is wrong with a request's `Host`.
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// HTTP/1.1 or later without `Host`.
        case missing
        /// More than one `Host` header.
        case repeated
        /// Not `host[:port]`, or a port outside 0-65535.
        case malformed

        public var description: String {
            switch self {
            case .missing: "the request has no Host header"
            case .repeated: "the request has more than one Host header"
            case .malformed: "the Host header is not a valid host and port"
            }
        }
    }

    /// The problem with `head`'s `Host` header, nil when there is none. Allocation-free (runs per request).
    public static func problem(in head: HTTPRequestHead) -> Problem? {
        var host: String?
        for (name, value) in head.headers where isHost(name) {
            guard host == nil else { return .repeated }
            host = value
        }
        guard let host else {
            let needsHost = head.version.major > 1 || (head.version.major == 1 && head.version.minor >= 1)
            return needsHost ? .missing : nil
        }
        return isValid(host) ? nil : .malformed
    }

    /// True for `uri-host [ ":" port ]` (RFC 3986 §3.2.2-3.2.3) with the port, when present, at most 65535.
    /// The empty value is valid (RFC 9112 §3.2: sent when the target URI has no authority).
    public static func isValid(_ value: String) -> Bool {
        var bytes = value.utf8[...]
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = bytes[bytes.index(after: bytes.startIndex)..<close]
            guard !literal.isEmpty, literal.allSatisfy(isIPLiteralByte) else { return false }
            bytes = bytes[bytes.index(after: close)...]
        } else {
            let end = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            guard bytes[..<end].allSatisfy(isRegNameByte) else { return false }
            bytes = bytes[end...]
        }
        guard let colon = bytes.first else { return true }
        guard colon == UInt8(ascii: ":") else { return false }
        let port = bytes.dropFirst()
        guard port.count <= 5, port.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return false
        }
        var number = 0
        for digit in port { number = number * 10 + Int(digit - UInt8(ascii: "0")) }
        return number <= 65535
    }

    // MARK: - Private

    private static func isHost(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard utf8.count == 4 else { return false }
        var index = utf8.startIndex
        for expected in "host".utf8 {
            guard utf8[index] | 0x20 == expected else { return false }
            index = utf8.index(after: index)
        }
        return true
    }

    /// unreserved / pct-encoded / sub-delims (RFC 3986 `reg-name`, which also covers IPv4 addresses).
    private static func isRegNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "%"),
            UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: "="):
            true
        default:
            false
        }
    }

    /// IPv6 (hex digits, `:`, `.`, a `%25` zone) and IPvFuture (`v`, unreserved, sub-delims, `:`).
    private static func isIPLiteralByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ":") || isRegNameByte(byte)
    }
}
