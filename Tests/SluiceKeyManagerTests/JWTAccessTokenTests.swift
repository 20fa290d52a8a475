import Foundation
import SluiceJWT
import SluiceKeyManager
import SluiceModel
import SluiceTLS
import Testing

/// JWT access tokens: WSO2's claims signed RS256 with the key store's key, validated from memory on their signature,
/// refused with WSO2's codes when expired, tampered, signed by another key, from another issuer, or revoked.
@Suite struct JWTAccessTokenTests {
    /// A key store like the one a first start generates (RSA 2048, so RS256).
    static let keyStore = Self.makeKeyStore()

    static func makeKeyStore() -> KeyStore {
        // A failure here is a bug of the generator, which every test then reports.
        let pair = try! SelfSignedCertificate(hostNames: [])
        return try! KeyStore.fromPEM(certificatePEM: pair.certificatePEM, privateKeyPEM: pair.privateKeyPEM)
    }

    static func signer(_ store: KeyStore = keyStore) async throws -> TokenSigner {
        guard case .rsa(let key) = store.keyMaterial else { throw CancellationError() }
        return try await TokenSigner(key: .rsa(key), certificateDER: store.leafDER)
    }

    static func parts(_ token: String) throws -> (header: [String: Any], payload: [String: Any]) {
        let segments = token.split(separator: ".").map(String.init)
        try #require(segments.count == 3)
        func object(_ text: String) throws -> [String: Any] {
            var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            let data = try #require(Data(base64Encoded: base64))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
        return (try object(segments[0]), try object(segments[1]))
    }

    @Test func aJWTApplicationGetsSignedTokensWithWSO2sClaims() async throws {
        let signer = try await Self.signer()
        let fixture = try await KeyManagerFixture(signer: signer)
        #expect(fixture.application.tokenType == "JWT")
        let response = try await fixture.keyManager.token(
            for: TokenRequest(grant: .clientCredentials, scopes: ["orders:read"]),
            credentials: fixture.productionCredentials
        )
        let (header, payload) = try Self.parts(response.accessToken)
        #expect(header["alg"] as? String == "RS256")
        #expect(header["typ"] as? String == "at+jwt")
        #expect(header["kid"] as? String == signer.keyID)
        #expect(payload["iss"] as? String == "https://localhost:9443/oauth2/token")
        #expect(payload["sub"] as? String == "alice")
        let consumerKey = fixture.production.consumerKey
        #expect(payload["client_id"] as? String == consumerKey)
        #expect(payload["azp"] as? String == consumerKey)
        #expect(payload["aud"] as? String == consumerKey)
        #expect(payload["scope"] as? String == "orders:read")
        #expect(payload["aut"] as? String == "APPLICATION")
        #expect(payload["keytype"] as? String == "PRODUCTION")
        let issuedAt = try #require(payload["iat"] as? Int)
        #expect(issuedAt == Int(fixture.clock.now.timeIntervalSince1970))
        #expect(payload["nbf"] as? Int == issuedAt)
        #expect(payload["exp"] as? Int == issuedAt + 1200)
        // expires_in counts to when the gateway refuses the token: the validity less TimestampSkew (60 s).
        #expect(response.expiresIn == 1200 - 60)
        #expect((payload["jti"] as? String)?.count == 36)
        let application = try #require(payload["application"] as? [String: Any])
        #expect(application["name"] as? String == "Shop")
        #expect(application["owner"] as? String == "alice")
        #expect(application["tier"] as? String == "Large")
        #expect(application["id"] as? String == fixture.application.id)

        let user = try await fixture.passwordToken()
        #expect(try Self.parts(user.accessToken).payload["aut"] as? String == "APPLICATION_USER")
        #expect(try Self.parts(user.accessToken).payload["exp"] as? Int == issuedAt + 1800)
    }

    @Test func anOpaqueApplicationKeepsOpaqueTokens() async throws {
        let fixture = try await KeyManagerFixture(signer: try await Self.signer())
        var application = fixture.application
        application.tokenType = "OAUTH"
        try await fixture.keyManager.updateApplication(application)
        let token = try await fixture.passwordToken().accessToken
        #expect(!token.contains("."))
        #expect(fixture.validate(token).authorized)
    }

    @Test func aJWTValidatesFromMemoryAndARevokedOneIs900901() async throws {
        let fixture = try await KeyManagerFixture(signer: try await Self.signer())
        let token = try await fixture.passwordToken().accessToken
        let answer = fixture.validate(token)
        #expect(answer.authorized)
        #expect(answer.consumerKey == fixture.production.consumerKey)
        #expect(answer.endUser == "alice")
        #expect(answer.userType == .applicationUser)
        #expect(answer.subscriptionTier == "Gold")
        #expect(answer.applicationTier == "Large")
        try await fixture.keyManager.revoke(token: token, tokenTypeHint: nil, credentials: fixture.productionCredentials)
        #expect(fixture.validate(token).errorCode == .invalidCredentials)
        // The revocation is announced with the token's hash, as for opaque tokens: a split gateway drops it too.
        let (_, hashes, _) = fixture.keyManager.validationService.revocations(since: 0)
        #expect(hashes.contains(SecretGenerator.hash(token)))
    }

    @Test func expiryIs900903AndSubscriptionsStillCount() async throws {
        let fixture = try await KeyManagerFixture(signer: try await Self.signer())
        let token = try await fixture.passwordToken().accessToken
        #expect(fixture.validate(token, context: "/other/1.0").errorCode == .resourceForbidden)
        // TimestampSkew (60 s) makes it expire early, as opaque tokens do.
        fixture.clock.advance(by: 1800 - 61)
        #expect(fixture.validate(token).authorized)
        fixture.clock.advance(by: 2)
        #expect(fixture.validate(token).errorCode == .accessTokenExpired)
    }

    @Test func tamperedForeignKeyForeignIssuerAndNonAccessTokensAre900901() async throws {
        let signer = try await Self.signer()
        let fixture = try await KeyManagerFixture(signer: signer)
        let token = try await fixture.passwordToken(scopes: ["orders:read"]).accessToken
        #expect(fixture.validate(token).authorized)

        // Another scope written into the payload, signature kept.
        let segments = token.split(separator: ".").map(String.init)
        var claims = try Self.parts(token).payload
        claims["scope"] = "orders:read orders:write"
        let forged = try JSONSerialization.data(withJSONObject: claims)
        let forgedPayload = forged.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        #expect(fixture.validate([segments[0], forgedPayload, segments[2]].joined(separator: ".")).errorCode == .invalidCredentials)
        // One flipped signature character.
        var signature = Array(segments[2])
        signature[10] = signature[10] == "A" ? "B" : "A"
        #expect(fixture.validate([segments[0], segments[1], String(signature)].joined(separator: ".")).errorCode == .invalidCredentials)
        // The original still validates: the forged tokens did not poison the memory of verified signatures.
        #expect(fixture.validate(token).authorized)

        let decoded = try #require(try? JSONDecoder().decode(AccessTokenClaims.self, from: Self.payloadData(token)))
        // Signed by another key store: its kid is unknown here.
        let foreign = try await Self.signer(Self.makeKeyStore())
        #expect(foreign.keyID != signer.keyID)
        #expect(fixture.validate(try foreign.sign(decoded, type: "at+jwt")).errorCode == .invalidCredentials)
        // Our key, another issuer.
        var otherIssuer = decoded
        otherIssuer.iss = "https://elsewhere.example.com/oauth2/token"
        #expect(fixture.validate(try signer.sign(otherIssuer, type: "at+jwt")).errorCode == .invalidCredentials)
        // Our key and issuer, but a backend JWT is no access token.
        #expect(fixture.validate(try signer.sign(decoded, type: "JWT")).errorCode == .invalidCredentials)
        // And a fresh signature over the same claims is accepted: tokens are checked, not only remembered.
        #expect(fixture.validate(try signer.sign(decoded, type: "at+jwt")).authorized)
    }

    @Test func aRefreshGivesANewJWTAndTheReplacedOneStopsValidating() async throws {
        let fixture = try await KeyManagerFixture(signer: try await Self.signer())
        let first = try await fixture.passwordToken()
        let refreshToken = try #require(first.refreshToken)
        let second = try await fixture.keyManager.token(
            for: TokenRequest(grant: .refreshToken(refreshToken)),
            credentials: fixture.productionCredentials
        )
        #expect(second.accessToken != first.accessToken)
        let payload = try Self.parts(second.accessToken).payload
        #expect(payload["sub"] as? String == "alice")
        #expect(payload["aut"] as? String == "APPLICATION_USER")
        #expect(fixture.validate(second.accessToken).authorized)
        #expect(fixture.validate(first.accessToken).errorCode == .invalidCredentials)
    }

    @Test func introspectionDescribesAJWT() async throws {
        let fixture = try await KeyManagerFixture(signer: try await Self.signer())
        let token = try await fixture.passwordToken().accessToken
        let description = try await fixture.keyManager.introspect(token: token, tokenTypeHint: nil)
        #expect(description.active)
        #expect(description.username == "alice")
        #expect(description.clientID == fixture.production.consumerKey)
    }

    @Test func aTokenSeenBeforeIsAnsweredFromItsSignature() async throws {
        let fixture = try await KeyManagerFixture(signer: try await Self.signer())
        let token = try await fixture.passwordToken().accessToken
        let verifier = try #require(fixture.keyManager.validationService.jwtVerifier)
        let before = verifier.rememberedCount
        for _ in 0..<5 { #expect(fixture.validate(token).authorized) }
        #expect(verifier.rememberedCount == before + 1)
    }

    @Test func theKeySetPublishesTheSigningKey() async throws {
        let signer = try await Self.signer()
        let set = signer.keySet
        #expect(set.keys.count == 1)
        let key = try #require(set.keys.first)
        #expect(key.kty == "RSA" && key.use == "sig" && key.alg == "RS256" && key.kid == signer.keyID)
        #expect(key.e == "AQAB")
        #expect((key.n?.count ?? 0) >= 342)
        // Another verifier built from the published set alone accepts the signer's tokens.
        let verifier = try await AccessTokenVerifier(keySet: set, issuer: "https://localhost:9443/oauth2/token")
        let fixture = try await KeyManagerFixture(signer: signer)
        let token = try await fixture.passwordToken().accessToken
        guard case .success(let verified) = verifier.verify(token, now: 0) else {
            Issue.record("the published key verifies the token")
            return
        }
        #expect(verified.claims.sub == "alice")
        #expect(verified.tokenHash == SecretGenerator.hash(token))
    }

    static func payloadData(_ token: String) throws -> Data {
        let segment = String(token.split(separator: ".")[1])
        var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return try #require(Data(base64Encoded: base64))
    }
}
