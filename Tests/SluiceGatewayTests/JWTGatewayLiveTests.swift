import AsyncHTTPClient
import Foundation
import SluiceJWT
import SluiceKeyManager
import SluiceModel
import SluiceTLS
import Testing

/// JWT access tokens through the all-in-one gateway: validated on their signature from memory, refused with WSO2's
/// codes (900901 tampered, foreign key or revoked; 900903 expired).
@Suite(.timeLimit(.minutes(1))) struct JWTGatewayLiveTests {
    static let keyStore: KeyStore = {
        // One generated pair for the suite; a failure is a generator bug every test then reports.
        let pair = try! SelfSignedCertificate(hostNames: [])
        return try! KeyStore.fromPEM(certificatePEM: pair.certificatePEM, privateKeyPEM: pair.privateKeyPEM)
    }()

    static func signer(_ store: KeyStore = keyStore) async throws -> TokenSigner {
        guard case .rsa(let key) = store.keyMaterial else { throw CancellationError() }
        return try await TokenSigner(key: .rsa(key), certificateDER: store.leafDER)
    }

    static func code(_ response: TestResponse) -> Int? {
        let object = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        return (object?["fault"] as? [String: Any])?["code"] as? Int
    }

    @Test func jwtsReachTheBackendAndBadOnesGetWSO2sCodes() async throws {
        let signer = try await Self.signer()
        let fixture = try await APIManagerFixture.start(signer: signer)
        let app = try await fixture.application("Mobile")
        #expect(app.application.tokenType == "JWT")
        #expect(app.token.split(separator: ".").count == 3)
        let accepted = try await fixture.call(token: app.token)
        #expect(accepted.status == 200)
        #expect(fixture.backend.recordedRequests.last?.header("Authorization") == nil)

        let json = "application/json"
        var tampered = Array(app.token)
        tampered[tampered.count - 5] = tampered[tampered.count - 5] == "A" ? "B" : "A"
        let forged = try await fixture.call(token: String(tampered), accept: json)
        #expect(forged.status == 401)
        #expect(Self.code(forged) == 900901)
        #expect(try await fixture.call(token: app.token).status == 200)
        await fixture.stop()
    }

    @Test func aRevokedJWTIsRefusedOnTheNextCallAndAnExpiredOneIs900903() async throws {
        let fixture = try await APIManagerFixture.start(signer: try await Self.signer())
        let revoking = try await fixture.application("Revoking")
        let expiring = try await fixture.application("Expiring", validity: 301)
        #expect(try await fixture.call(token: revoking.token).status == 200)
        #expect(try await fixture.call(token: expiring.token).status == 200)
        try await fixture.keyManager.revoke(
            token: revoking.token, tokenTypeHint: "access_token",
            credentials: ClientCredentials(consumerKey: revoking.keys.consumerKey, consumerSecret: revoking.keys.consumerSecret)
        )
        // In process the gateway reads the key manager's memory on every call: the very next call is refused.
        let revoked = try await fixture.call(token: revoking.token, accept: "application/json")
        #expect(revoked.status == 401)
        #expect(Self.code(revoked) == 900901)
        // 301 s of validity less the 300 s timestamp skew: two seconds later it has expired.
        fixture.wallClock.advance(by: 2)
        let expired = try await fixture.call(token: expiring.token, accept: "application/json")
        #expect(expired.status == 401)
        #expect(Self.code(expired) == 900903)
        await fixture.stop()
    }

    @Test func aTokenSignedByAnotherKeyIs900901() async throws {
        let signer = try await Self.signer()
        let fixture = try await APIManagerFixture.start(signer: signer)
        let app = try await fixture.application("Foreign")
        let pair = try SelfSignedCertificate(hostNames: [])
        let other = try await Self.signer(try KeyStore.fromPEM(certificatePEM: pair.certificatePEM, privateKeyPEM: pair.privateKeyPEM))
        let claims = try JWTAccessTokenClaimsReader.claims(of: app.token)
        let answer = try await fixture.call(token: try other.sign(claims, type: "at+jwt"), accept: "application/json")
        #expect(answer.status == 401)
        #expect(Self.code(answer) == 900901)
        #expect(try await fixture.call(token: try signer.sign(claims, type: "at+jwt")).status == 200)
        await fixture.stop()
    }
}

/// Reads the claims of a token issued in the test (its signature was made here; only the payload is needed).
enum JWTAccessTokenClaimsReader {
    static func claims(of token: String) throws -> AccessTokenClaims {
        let segment = String(token.split(separator: ".")[1])
        var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return try JSONDecoder().decode(AccessTokenClaims.self, from: try #require(Data(base64Encoded: base64)))
    }
}
