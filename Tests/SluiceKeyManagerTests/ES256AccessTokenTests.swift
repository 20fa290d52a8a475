import Crypto
import Foundation
import SluiceJWT
import SluiceKeyManager
import SluiceModel
import SluiceTLS
import Testing

/// JWT access tokens signed ES256 with an EC P-256 key store (`<JWTSigningKeyStore>`): issued with the key's `kid`,
/// validated from memory like RS256 ones, the EC key published in the JWK set, and never accepted when the
/// signature was tampered with or the header names another algorithm than the key's (no algorithm confusion).
@Suite struct ES256AccessTokenTests {
    static let ecKeyStore = makeKeyStore(.p256)

    static func makeKeyStore(_ kind: SelfSignedCertificate.KeyKind) -> KeyStore {
        // A failure here is a bug of the generator, which every test then reports.
        let pair = try! SelfSignedCertificate(hostNames: [], keyKind: kind)
        return try! KeyStore.fromPEM(certificatePEM: pair.certificatePEM, privateKeyPEM: pair.privateKeyPEM)
    }

    static func signer(_ store: KeyStore = ecKeyStore) async throws -> TokenSigner {
        guard case .p256(let key) = store.keyMaterial else { throw CancellationError() }
        return try await TokenSigner(key: .p256(key), certificateDER: store.leafDER)
    }

    static func base64URL(_ bytes: some DataProtocol) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ text: Substring) throws -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return try #require(Data(base64Encoded: base64))
    }

    /// A token with `header` over the payload of `token`, signed by `sign` (nil: no signature at all).
    static func token(header: [String: String], payloadOf token: String, sign: ((Data) throws -> Data)?) throws -> String {
        let encodedHeader = base64URL(try JSONSerialization.data(withJSONObject: header, options: .sortedKeys))
        let input = encodedHeader + "." + String(token.split(separator: ".")[1])
        let signature = try sign.map { base64URL(try $0(Data(input.utf8))) } ?? ""
        return input + "." + signature
    }

    @Test func anEC256KeyStoreSignsES256TokensThatValidate() async throws {
        let signer = try await Self.signer()
        #expect(signer.algorithmName == "ES256")
        let fixture = try await KeyManagerFixture(signer: signer)
        let token = try await fixture.passwordToken(scopes: ["orders:read"]).accessToken
        let (header, payload) = try JWTAccessTokenTests.parts(token)
        #expect(header["alg"] as? String == "ES256")
        #expect(header["typ"] as? String == "at+jwt")
        #expect(header["kid"] as? String == signer.keyID)
        #expect(payload["sub"] as? String == "alice")
        // JWS carries ECDSA signatures as r || s (64 bytes for P-256), not DER.
        #expect(try Self.decodeBase64URL(token.split(separator: ".")[2]).count == 64)
        let answer = fixture.validate(token)
        #expect(answer.authorized)
        #expect(answer.endUser == "alice")
        #expect(answer.subscriptionTier == "Gold")
        // Seen again, it is answered from the verifier's memory, as an RS256 token is: one outcome remembered.
        let verifier = try #require(fixture.keyManager.validationService.jwtVerifier)
        let remembered = verifier.rememberedCount
        for _ in 0..<3 { #expect(fixture.validate(token).authorized) }
        #expect(verifier.rememberedCount == remembered)
        #expect(verifier.remembered(token) != nil)
    }

    @Test func theKeySetPublishesTheECKeyAndAVerifierReadingItAcceptsTheTokens() async throws {
        let signer = try await Self.signer()
        let key = try #require(signer.keySet.keys.first)
        #expect(signer.keySet.keys.count == 1)
        #expect(key.kty == "EC" && key.use == "sig" && key.alg == "ES256" && key.crv == "P-256" && key.kid == signer.keyID)
        #expect(key.n == nil && key.e == nil)
        // Each coordinate is 32 bytes: 43 base64url characters.
        #expect(key.x?.count == 43 && key.y?.count == 43)
        guard case .p256(let privateKey) = Self.ecKeyStore.keyMaterial else { throw CancellationError() }
        let point = privateKey.publicKey.x963Representation
        #expect(try Self.decodeBase64URL(Substring(key.x ?? "")) == point.dropFirst().prefix(32))
        #expect(try Self.decodeBase64URL(Substring(key.y ?? "")) == point.suffix(32))

        // A split gateway reads the set as JSON from /oauth2/jwks.
        let published = try JSONDecoder().decode(JSONWebKeySet.self, from: try signer.keySet.json())
        let verifier = try await AccessTokenVerifier(keySet: published, issuer: "https://localhost:9443/oauth2/token")
        let fixture = try await KeyManagerFixture(signer: signer)
        let token = try await fixture.passwordToken().accessToken
        guard case .success(let verified) = verifier.verify(token, now: 0) else {
            Issue.record("the published EC key verifies the token")
            return
        }
        #expect(verified.claims.sub == "alice")
        #expect(verified.tokenHash == SecretGenerator.hash(token))
    }

    @Test func aTamperedSignatureOrPayloadIsRefused() async throws {
        let fixture = try await KeyManagerFixture(signer: try await Self.signer())
        let token = try await fixture.passwordToken().accessToken
        let segments = token.split(separator: ".").map(String.init)
        var signature = Array(segments[2])
        signature[20] = signature[20] == "A" ? "B" : "A"
        #expect(fixture.validate([segments[0], segments[1], String(signature)].joined(separator: ".")).errorCode == .invalidCredentials)
        // The signature of one token over the payload of another.
        let other = try await fixture.passwordToken(scopes: ["orders:read"]).accessToken
        let otherPayload = other.split(separator: ".")[1]
        #expect(fixture.validate("\(segments[0]).\(otherPayload).\(segments[2])").errorCode == .invalidCredentials)
        // A signature truncated to DER length or emptied.
        #expect(fixture.validate("\(segments[0]).\(segments[1]).\(segments[2].prefix(70))").errorCode == .invalidCredentials)
        #expect(fixture.validate("\(segments[0]).\(segments[1]).").errorCode == .invalidCredentials)
        #expect(fixture.validate(token).authorized)
    }

    @Test func aTokenOfAnotherAlgorithmIsRefusedWhateverKeyItNames() async throws {
        let signer = try await Self.signer()
        let fixture = try await KeyManagerFixture(signer: signer)
        let token = try await fixture.passwordToken().accessToken
        let header = ["typ": "at+jwt", "kid": signer.keyID]

        // RS256, validly signed by an RSA key whose certificate is the EC key store's, so the kid is the EC key's.
        let rsaStore = JWTAccessTokenTests.keyStore
        guard case .rsa(let rsaKey) = rsaStore.keyMaterial else { throw CancellationError() }
        let rsaSigner = try await TokenSigner(key: .rsa(rsaKey), certificateDER: Self.ecKeyStore.leafDER)
        #expect(rsaSigner.keyID == signer.keyID)
        let claims = try JSONDecoder().decode(AccessTokenClaims.self, from: JWTAccessTokenTests.payloadData(token))
        let rs256 = try rsaSigner.sign(claims, type: "at+jwt")
        #expect(try JWTAccessTokenTests.parts(rs256).header["alg"] as? String == "RS256")
        #expect(fixture.validate(rs256).errorCode == .invalidCredentials)

        // HS256 keyed with the public key's bytes: the classic confusion of a verifier that trusts `alg`.
        guard case .p256(let ecKey) = Self.ecKeyStore.keyMaterial else { throw CancellationError() }
        for publicBytes in [ecKey.publicKey.x963Representation, Data(ecKey.publicKey.pemRepresentation.utf8)] {
            let hs256 = try Self.token(header: header.merging(["alg": "HS256"]) { $1 }, payloadOf: token) { input in
                Data(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: publicBytes)))
            }
            #expect(fixture.validate(hs256).errorCode == .invalidCredentials)
        }
        // Unsigned, and ES384 named for a P-256 key over a valid ES256 signature.
        let unsigned = try Self.token(header: header.merging(["alg": "none"]) { $1 }, payloadOf: token, sign: nil)
        #expect(fixture.validate(unsigned).errorCode == .invalidCredentials)
        let es384 = try Self.token(header: header.merging(["alg": "ES384"]) { $1 }, payloadOf: token) { input in
            try ecKey.signature(for: input).rawRepresentation
        }
        #expect(fixture.validate(es384).errorCode == .invalidCredentials)
        // The same construction with alg ES256 is a good token: the refusals above are for the algorithm alone.
        let es256 = try Self.token(header: header.merging(["alg": "ES256"]) { $1 }, payloadOf: token) { input in
            try ecKey.signature(for: input).rawRepresentation
        }
        #expect(fixture.validate(es256).authorized)

        // And the other way: an RS256 key manager refuses an ES256 token naming its RSA key's kid.
        let rsaFixture = try await KeyManagerFixture(signer: try await JWTAccessTokenTests.signer())
        let rsaToken = try await rsaFixture.passwordToken().accessToken
        let rsaClaims = try JSONDecoder().decode(AccessTokenClaims.self, from: JWTAccessTokenTests.payloadData(rsaToken))
        let impostor = try await TokenSigner(key: .p256(ecKey), certificateDER: rsaStore.leafDER)
        #expect(rsaFixture.validate(try impostor.sign(rsaClaims, type: "at+jwt")).errorCode == .invalidCredentials)
        #expect(rsaFixture.validate(rsaToken).authorized)
    }
}
