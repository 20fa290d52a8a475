public import Crypto
import Foundation
public import JWTKit
public import _CryptoExtras

/// The private key JWTs are signed with: the key of the node's primary key store, as WSO2 signs with
/// `wso2carbon`'s key.
public enum JWTSigningKey: Sendable {
    /// RSA (2048 bits or more): RS256.
    case rsa(_RSA.Signing.PrivateKey)
    /// EC P-256: ES256.
    case p256(P256.Signing.PrivateKey)
    /// EC P-384: ES384.
    case p384(P384.Signing.PrivateKey)
}

/// Signs JWTs (access tokens, backend JWTs) with jwt-kit and publishes the public key as a JWK set.
///
/// The key id is derived from the certificate (base64url of its SHA-256), so every node sharing a key store
/// names the key alike, and a new certificate gets a new `kid`.
///
/// ```swift
/// let signer = try await TokenSigner(key: .rsa(privateKey), certificateDER: leaf)
/// let jwt = try signer.sign(claims, type: "at+jwt")
/// ```
public final class TokenSigner: Sendable {
    /// The `kid` header of every token.
    public let keyID: String
    /// `RS256`, `ES256` or `ES384`.
    public let algorithmName: String
    /// The public key as a JWK set (`/oauth2/jwks`).
    public let keySet: JSONWebKeySet
    private let algorithm: any JWTAlgorithm
    private let serializer = DefaultJWTSerializer()
    /// The header of each `typ` the key manager signs with, and its base64url JSON, made once: the header is the
    /// same for every token of a type, and encoding it cost a `JSONEncoder` and three string passes per token.
    private let headers: [String: EncodedHeader]

    private struct EncodedHeader: Sendable {
        var header: JWTHeader
        var encoded: String

        init(algorithm: String, keyID: String, type: String) throws {
            header = JWTHeader()
            header.alg = algorithm
            header.typ = type
            header.kid = keyID
            encoded = Base64URL.encode(try JSONEncoder().encode(header))
        }
    }

    /// The `typ`s whose headers are made at start: access tokens (`at+jwt`), API keys and backend JWTs (`JWT`).
    private static let preparedTypes = ["at+jwt", "JWT"]

    /// Prepares the signer.
    /// - Parameters:
    ///   - key: The private key.
    ///   - certificateDER: The key's certificate, which the key id is derived from.
    /// - Throws: jwt-kit's errors for a key it refuses.
    public init(key: JWTSigningKey, certificateDER: [UInt8]) async throws {
        keyID = Data(SHA256.hash(data: certificateDER)).base64URLEncoded()
        let collection = JWTKeyCollection()
        let kid = JWKIdentifier(string: keyID)
        switch key {
        case .rsa(let rsa):
            let privateKey = try Insecure.RSA.PrivateKey(backing: rsa)
            await collection.add(rsa: privateKey, digestAlgorithm: .sha256, kid: kid)
            let (modulus, exponent) = try privateKey.publicKey.getKeyPrimitives()
            algorithmName = "RS256"
            keySet = JSONWebKeySet(keys: [
                .rsa(keyID: keyID, algorithm: algorithmName, modulus: modulus, exponent: exponent)
            ])
        case .p256(let p256):
            let privateKey = try ES256PrivateKey(backing: p256)
            await collection.add(ecdsa: privateKey, kid: kid)
            algorithmName = "ES256"
            keySet = JSONWebKeySet(keys: [
                .ec(keyID: keyID, algorithm: algorithmName, curve: "P-256", x963: p256.publicKey.x963Representation)
            ])
        case .p384(let p384):
            let privateKey = try ES384PrivateKey(backing: p384)
            await collection.add(ecdsa: privateKey, kid: kid)
            algorithmName = "ES384"
            keySet = JSONWebKeySet(keys: [
                .ec(keyID: keyID, algorithm: algorithmName, curve: "P-384", x963: p384.publicKey.x963Representation)
            ])
        }
        algorithm = try await collection.getKey(for: kid)
        headers = try Dictionary(
            uniqueKeysWithValues: Self.preparedTypes.map { [algorithmName, keyID] type in
                (type, try EncodedHeader(algorithm: algorithmName, keyID: keyID, type: type))
            }
        )
    }

    /// Signs `payload` into a compact JWS. Synchronous (jwt-kit's algorithm signs; only the three parts are joined
    /// here), so a token can be minted inside a storage transaction.
    /// - Parameters:
    ///   - payload: The claims.
    ///   - type: The `typ` header: `at+jwt` for access tokens (RFC 9068), `JWT` for backend JWTs; verifiers check
    ///     it so one kind cannot pass for the other.
    /// - Returns: `header.payload.signature`.
    /// - Throws: Encoding or signing errors.
    public func sign(_ payload: some JWTPayload, type: String) throws -> String {
        let header = try headers[type] ?? EncodedHeader(algorithm: algorithmName, keyID: keyID, type: type)
        var input = header.encoded
        input += "."
        input += String(decoding: try serializer.serialize(payload, header: header.header), as: UTF8.self)
        let signature = try algorithm.sign(Array(input.utf8))
        input += "."
        input += Base64URL.encode(signature)
        return input
    }

    /// A verifier for tokens this signer makes.
    /// - Parameters:
    ///   - issuer: The `iss` tokens must carry.
    /// - Returns: The verifier.
    public func verifier(issuer: String) async throws -> AccessTokenVerifier {
        try await AccessTokenVerifier(keySet: keySet, issuer: issuer)
    }

    /// A verifier for API keys this signer makes.
    /// - Parameter issuer: The `iss` keys must carry.
    /// - Returns: The verifier.
    public func apiKeyVerifier(issuer: String) async throws -> APIKeyVerifier {
        try await APIKeyVerifier(keySet: keySet, issuer: issuer)
    }
}

extension Data {
    /// RFC 4648 §5 base64url without padding.
    func base64URLEncoded() -> String { Base64URL.encode(self) }
}
