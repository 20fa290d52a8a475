import Foundation
import Crypto
import _CryptoExtras

/// Slow salted password hashing: PBKDF2-HMAC-SHA256.
///
/// The encoded form is `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`, so the iteration count can
/// grow without invalidating stored hashes, and tests may use a cheap count through
/// ``insecureForTesting(iterations:)``.
public struct PasswordHasher: Sendable {
    /// OWASP's minimum for PBKDF2-HMAC-SHA256, also swift-crypto's floor.
    public static let minimumIterations = 210_000
    /// Verification refuses counts above this, so a tampered hash cannot pin a CPU.
    static let maximumIterations = 10_000_000
    private static let scheme = "pbkdf2-sha256"

    /// Iterations used for new hashes.
    public let iterations: Int

    /// A hasher with at least ``minimumIterations`` iterations.
    /// - Parameter iterations: Iterations for new hashes; raised to the minimum when lower.
    public init(iterations: Int = PasswordHasher.minimumIterations) {
        self.iterations = max(iterations, Self.minimumIterations)
    }

    private init(uncheckedIterations: Int) {
        self.iterations = uncheckedIterations
    }

    /// A fast hasher for tests only: hashes made with it are weak.
    /// - Parameter iterations: Any positive count.
    public static func insecureForTesting(iterations: Int) -> PasswordHasher {
        PasswordHasher(uncheckedIterations: max(1, iterations))
    }

    /// Hashes a password with a fresh 16-byte salt.
    /// - Parameter password: The clear-text password.
    /// - Returns: The encoded hash.
    public func hash(_ password: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = Data((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let derived = Self.derive(password, salt: salt, iterations: iterations)
        return [Self.scheme, String(iterations), salt.base64EncodedString(), derived.base64EncodedString()]
            .joined(separator: "$")
    }

    /// Checks a password against an encoded hash, in constant time for the comparison.
    /// - Parameters:
    ///   - password: The clear-text password.
    ///   - encoded: A hash made by ``hash(_:)``.
    /// - Returns: True when the password matches; false also for malformed hashes.
    public func verify(_ password: String, against encoded: String) -> Bool {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Self.scheme,
            let iterations = Int(parts[1]), iterations > 0, iterations <= Self.maximumIterations,
            let salt = Data(base64Encoded: String(parts[2])),
            let expected = Data(base64Encoded: String(parts[3])), expected.count == 32
        else { return false }
        return SecretGenerator.constantTimeEquals(Self.derive(password, salt: salt, iterations: iterations), expected)
    }

    /// Burns the same time as a verification, so unknown users cannot be told apart by timing.
    /// - Parameter password: The presented password.
    public func simulateVerification(_ password: String) {
        _ = Self.derive(password, salt: Data(repeating: 0, count: 16), iterations: iterations)
    }

    private static func derive(_ password: String, salt: Data, iterations: Int) -> Data {
        // Only unusable parameters make derivation fail; ours are fixed (SHA-256, 32 bytes, positive rounds).
        guard
            let key = try? KDF.Insecure.PBKDF2.deriveKey(
                from: Data(password.utf8),
                salt: salt,
                using: .sha256,
                outputByteCount: 32,
                unsafeUncheckedRounds: iterations
            )
        else { return Data() }
        return key.withUnsafeBytes { Data($0) }
    }
}
