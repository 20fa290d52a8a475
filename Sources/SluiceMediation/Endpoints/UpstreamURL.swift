/// A backend URL split into what the upstream client needs: host, port and the request target.
///
/// An endpoint whose URL does not depend on the message is parsed once, when it deploys (`EndpointLeaf.staticURL`),
/// and each request only appends its `REST_URL_POSTFIX` to the target (`appending(postfix:)`); other URLs are
/// parsed per request, so the parser scans the UTF-8 bytes once and slices the text at the positions it found: no
/// character-by-character `String` searching and no Foundation calls.
package struct UpstreamURL: Sendable, Hashable {
    package let scheme: String
    package let host: String
    package let port: Int
    /// Origin-form target: path and query, at least `/`.
    package private(set) var target: String
    /// `host[:port]` for the `Host` header (the port omitted when it is the scheme's default).
    package let hostHeader: String
    /// What follows the authority in the URL as written (possibly empty), which a postfix is joined to.
    private var pathAndQuery: String

    /// Parses `http://host[:port]/path?query` (and `https`, which the caller then refuses).
    package init?(_ text: String) {
        let bytes = text.utf8
        // The scheme: letters up to "://", compared case-insensitively.
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let scheme = bytes[..<colon]
        guard Self.hasPrefixIgnoringCase(scheme, "http"), scheme.count == 4 || scheme.count == 5 else { return nil }
        let isHTTPS = scheme.count == 5
        if isHTTPS && scheme.last! | 0x20 != UInt8(ascii: "s") { return nil }
        var cursor = bytes.index(after: colon)
        for _ in 0..<2 {
            guard cursor < bytes.endIndex, bytes[cursor] == UInt8(ascii: "/") else { return nil }
            cursor = bytes.index(after: cursor)
        }
        let authorityEnd =
            bytes[cursor...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? bytes.endIndex
        var authority = bytes[cursor..<authorityEnd]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[authority.index(after: at)...] }
        var host = authority
        var port = isHTTPS ? 443 : 80
        if authority.first == UInt8(ascii: "["), let close = authority.firstIndex(of: UInt8(ascii: "]")) {
            host = authority[authority.index(after: authority.startIndex)..<close]
            let afterBracket = authority[authority.index(after: close)...]
            if afterBracket.first == UInt8(ascii: ":") {
                guard let parsed = Self.decimal(afterBracket.dropFirst()) else { return nil }
                port = parsed
            }
        } else if let portColon = authority.lastIndex(of: UInt8(ascii: ":")) {
            host = authority[..<portColon]
            guard let parsed = Self.decimal(authority[authority.index(after: portColon)...]) else { return nil }
            port = parsed
        }
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
        let hostText = Substring(host)
        let rest = String(Substring(bytes[authorityEnd...]))
        let isIPv6 = hostText.utf8.contains(UInt8(ascii: ":"))
        let name = isIPv6 ? "[" + String(hostText) + "]" : String(hostText)
        self.scheme = isHTTPS ? "https" : "http"
        self.host = String(hostText)
        self.port = port
        self.pathAndQuery = rest
        self.target = Self.target(of: rest)
        self.hostHeader = port == (isHTTPS ? 443 : 80) ? name : name + ":" + String(port)
    }

    /// The URL `EndpointLeaf.join(url, postfix)` names, without building and parsing that text again: the postfix
    /// joins what follows the authority (an authority never ends in `/`, so the seam rule is the same).
    package func appending(postfix: String) -> UpstreamURL {
        guard !postfix.isEmpty else { return self }
        var joined = self
        joined.pathAndQuery = EndpointLeaf.join(pathAndQuery, postfix)
        joined.target = Self.target(of: joined.pathAndQuery)
        return joined
    }

    /// The origin-form target of what follows the authority: at least `/`, and `/` before a bare query.
    private static func target(of rest: String) -> String {
        rest.isEmpty ? "/" : (rest.utf8.first == UInt8(ascii: "?") ? "/" + rest : rest)
    }

    /// Whether `bytes` starts with the lower-case ASCII `prefix`, ignoring the case of ASCII letters.
    private static func hasPrefixIgnoringCase(_ bytes: Substring.UTF8View, _ prefix: StaticString) -> Bool {
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        var index = bytes.startIndex
        for offset in 0..<prefix.utf8CodeUnitCount {
            let byte = bytes[index]
            let lowered = byte >= 65 && byte <= 90 ? byte + 32 : byte
            guard lowered == prefix.utf8Start[offset] else { return false }
            index = bytes.index(after: index)
        }
        return true
    }

    /// A port number: ASCII digits only; nil when empty or beyond any port (the caller checks the range).
    private static func decimal(_ bytes: Substring.UTF8View) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            if value > 65535 { return 0 }
        }
        return value
    }
}
