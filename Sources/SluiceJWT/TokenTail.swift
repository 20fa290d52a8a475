/// Where a token's remembered verification is filed: the token's length and its last 16 bytes, the end of its
/// signature (which any two signed tokens differ in), so finding a token seen before hashes 24 bytes rather than the
/// kilobyte of the token or its signature, and needs no search for the signature's dot.
///
/// The tail only narrows: the entry filed under it holds the whole token, compared with the one presented byte for
/// byte, in constant time, before it counts (`sameToken`). Two tokens with one tail share a slot, the later replacing
/// the earlier, so forged tokens made to share a tail cannot pile up behind one hash.
struct TokenTail: Hashable, Sendable {
    let length: Int
    let high: UInt64
    let low: UInt64

    init(_ token: String) {
        var token = token
        (length, high, low) = token.withUTF8 { bytes in
            var high: UInt64 = 0
            var low: UInt64 = 0
            for (position, byte) in bytes.suffix(16).enumerated() {
                if position < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
            }
            return (bytes.count, high, low)
        }
    }

    /// Whether two tokens are the same bytes, taking as long for every pair of one length (how far they agree is not
    /// told by when the answer comes).
    static func sameToken(_ first: String, _ second: String) -> Bool {
        var first = first
        var second = second
        return first.withUTF8 { left in
            second.withUTF8 { right in
                guard left.count == right.count else { return false }
                var difference: UInt8 = 0
                for index in left.indices { difference |= left[index] ^ right[index] }
                return difference == 0
            }
        }
    }
}
