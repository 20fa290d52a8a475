/// RFC 3986 percent-encoding for URL building and query and form parsing: the one percent-decoder of Sluice.
public enum PercentEncoding {
    /// Encodes everything except the unreserved characters (`A-Z a-z 0-9 - . _ ~`) and the ASCII characters in
    /// `kept`.
    public static func encode(_ text: String, keeping kept: String = "") -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case _ where byte < 0x80 && kept.utf8.contains(byte):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                output.unicodeScalars.append("%")
                output.unicodeScalars.append(hex[Int(byte >> 4)])
                output.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return output
    }

    /// Decodes `%XX` escapes (and `+` as space when asked); malformed escapes are kept as written and invalid
    /// UTF-8 becomes U+FFFD, as the gateway reads URIs.
    public static func decode<Text: StringProtocol>(_ text: Text, plusAsSpace: Bool = false) -> String {
        guard let bytes = decodedBytes(text, plusAsSpace: plusAsSpace, strict: false) else { return String(text) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes `%XX` escapes (and `+` as space when asked), refusing what a strict reader refuses: nil for a
    /// malformed escape or for bytes that are not UTF-8 (form bodies of the management API and the portals).
    public static func strictDecode<Text: StringProtocol>(_ text: Text, plusAsSpace: Bool = false) -> String? {
        decodedBytes(text, plusAsSpace: plusAsSpace, strict: true).flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// True when every `%` in `text` starts a two-digit hexadecimal escape (Java's `URLDecoder` refuses others).
    public static func isWellFormed<Text: StringProtocol>(_ text: Text) -> Bool {
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            guard byte == UInt8(ascii: "%") else { continue }
            guard let high = bytes.next(), hexValue(high) != nil, let low = bytes.next(), hexValue(low) != nil else {
                return false
            }
        }
        return true
    }

    /// The decoded bytes; nil when `strict` and an escape is malformed.
    private static func decodedBytes<Text: StringProtocol>(_ text: Text, plusAsSpace: Bool, strict: Bool) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%") {
                if iterator.count >= 2, let high = hexValue(iterator[iterator.startIndex]),
                    let low = hexValue(iterator[iterator.startIndex + 1])
                {
                    bytes.append(high << 4 | low)
                    iterator = iterator.dropFirst(2)
                    continue
                }
                if strict { return nil }
                bytes.append(byte)
            } else if byte == UInt8(ascii: "+"), plusAsSpace {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
