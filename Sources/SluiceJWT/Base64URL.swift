/// RFC 4648 §5 base64url without padding, written in one pass into the string's own storage (Foundation's
/// base64 followed by three replacements made four strings per call, on every token signed).
package enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The base64url text of `bytes`, without `=` padding.
    /// - Parameter bytes: Any bytes.
    /// - Returns: `ceil(4n / 3)` characters of `A-Z a-z 0-9 - _`.
    package static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        let length = (input.count * 4 + 2) / 3
        return String(unsafeUninitializedCapacity: length) { output in
            alphabet.withUnsafeBufferPointer { alphabet in
                var written = 0
                var index = 0
                while index + 3 <= input.count {
                    let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                    output[written] = alphabet[Int(chunk >> 18 & 63)]
                    output[written + 1] = alphabet[Int(chunk >> 12 & 63)]
                    output[written + 2] = alphabet[Int(chunk >> 6 & 63)]
                    output[written + 3] = alphabet[Int(chunk & 63)]
                    written += 4
                    index += 3
                }
                let left = input.count - index
                if left > 0 {
                    // One or two bytes left: two or three characters, no padding.
                    let chunk = UInt32(input[index]) << 16 | (left == 2 ? UInt32(input[index + 1]) << 8 : 0)
                    output[written] = alphabet[Int(chunk >> 18 & 63)]
                    output[written + 1] = alphabet[Int(chunk >> 12 & 63)]
                    written += 2
                    if left == 2 {
                        output[written] = alphabet[Int(chunk >> 6 & 63)]
                        written += 1
                    }
                }
                return written
            }
        }
    }
}
