public import Foundation

/// A JWK set (RFC 7517) of public signing keys, as `/oauth2/jwks` serves it and split gateways read it.
public struct JSONWebKeySet: Codable, Sendable, Hashable {
    /// One public key.
    public struct Key: Codable, Sendable, Hashable {
        /// `RSA` or `EC`.
        public var kty: String
        /// Always `sig`.
        public var use: String
        /// `RS256`, `ES256`, `ES384`.
        public var alg: String
        /// The key id tokens name in their header.
        public var kid: String
        /// RSA modulus, base64url.
        public var n: String?
        /// RSA public exponent, base64url.
        public var e: String?
        /// EC curve: `P-256`, `P-384`.
        public var crv: String?
        /// EC x coordinate, base64url.
        public var x: String?
        /// EC y coordinate, base64url.
        public var y: String?

        /// An RSA key from its modulus and exponent (big-endian bytes).
        public static func rsa(keyID: String, algorithm: String, modulus: Data, exponent: Data) -> Key {
            Key(
                kty: "RSA", use: "sig", alg: algorithm, kid: keyID,
                n: modulus.base64URLEncoded(), e: exponent.base64URLEncoded()
            )
        }

        /// An EC key from its uncompressed point (`04 || x || y`).
        public static func ec(keyID: String, algorithm: String, curve: String, x963: Data) -> Key {
            let coordinates = x963.dropFirst()
            let half = coordinates.count / 2
            return Key(
                kty: "EC", use: "sig", alg: algorithm, kid: keyID, crv: curve,
                x: Data(coordinates.prefix(half)).base64URLEncoded(),
                y: Data(coordinates.suffix(half)).base64URLEncoded()
            )
        }
    }

    /// The keys.
    public var keys: [Key]

    /// Creates a set.
    public init(keys: [Key]) {
        self.keys = keys
    }

    /// The set as JSON, with sorted keys (stable output).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
