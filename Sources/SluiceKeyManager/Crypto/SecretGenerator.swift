public import Foundation
import Crypto
import SluiceJWT

/// Random secrets and their stored form.
///
/// Tokens, consumer keys and secrets carry 256 bits from the system CSPRNG, encoded base64url without padding.
/// High-entropy values need no salt or stretching: SHA-256 is what we store and compare.
public enum SecretGenerator {
    /// A new random value of `byteCount` bytes, base64url encoded.
    /// - Parameter byteCount: How many random bytes (32 by default: 256 bits).
    /// - Returns: The encoded value.
    public static func randomValue(byteCount: Int = 32) -> String {
        // Eight bytes per call of the system generator (a getrandom system call each), not one: the token endpoint
        // makes a value per token.
        var generator = SystemRandomNumberGenerator()
        var bytes = Data(count: byteCount)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < byteCount {
                withUnsafeBytes(of: generator.next()) { word in
                    let count = min(word.count, byteCount - offset)
                    buffer.baseAddress!.advanced(by: offset).copyMemory(from: word.baseAddress!, byteCount: count)
                    offset += count
                }
            }
        }
        return bytes.base64URLEncodedString()
    }

    /// A new random (version 4) UUID from the system generator: two `getrandom` calls. Foundation's `UUID()` on
    /// Linux opens, reads and closes `/dev/urandom` for each one, three system calls and a file descriptor per
    /// token issued (a token takes one for its family and a JWT one more for its `jti`).
    /// - Returns: The UUID.
    public static func randomUUID() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var bytes = (generator.next(), generator.next())
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = raw[6] & 0x0F | 0x40  // version 4
            raw[8] = raw[8] & 0x3F | 0x80  // the RFC 4122 variant
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
    }

    /// The stored form of a secret: its SHA-256.
    /// - Parameter secret: A token or consumer secret.
    /// - Returns: 32 bytes.
    public static func hash(_ secret: String) -> Data {
        // Runs on every API call (key validation): hashed straight from the string's UTF-8 storage, without
        // an intermediate Data or a generic byte-by-byte copy of the digest.
        var secret = secret
        let digest = secret.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        return digest.withUnsafeBytes { Data(bytes: $0.baseAddress!, count: $0.count) }
    }

    /// Compares two byte strings in time that depends only on their lengths.
    /// - Returns: True when equal.
    public static func constantTimeEquals(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }
}

extension Data {
    /// RFC 4648 §5 base64url without padding.
    func base64URLEncodedString() -> String { Base64URL.encode(self) }
}
