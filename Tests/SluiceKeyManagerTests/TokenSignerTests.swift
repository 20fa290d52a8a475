import Foundation
import SluiceJWT
import SluiceTLS
import Testing

/// The signer's headers, encoded once per `typ` at start, and its base64url encoder.
@Suite struct TokenSignerTests {
    static let keyStore = ES256AccessTokenTests.makeKeyStore(.p256)

    static func header(of token: String) throws -> [String: String] {
        let segment = try #require(token.split(separator: ".").first)
        let json = try ES256AccessTokenTests.decodeBase64URL(segment)
        return try #require(try JSONSerialization.jsonObject(with: json) as? [String: String])
    }

    @Test func eachTypeGetsItsOwnHeaderAndTokensOfATypeShareIt() async throws {
        let signer = try await ES256AccessTokenTests.signer(Self.keyStore)
        let claims = AccessTokenClaims(
            issuer: "https://km.example.com/oauth2/token", subject: "alice", clientID: "c", issuedAt: 1_000,
            expiresAt: 4_600, tokenID: "id-1", scopes: ["default"], userType: "APPLICATION",
            keyType: "PRODUCTION", application: nil
        )
        // The two prepared types and one made on demand.
        for type in ["at+jwt", "JWT", "custom+jwt"] {
            let first = try signer.sign(claims, type: type)
            let second = try signer.sign(claims, type: type)
            #expect(try Self.header(of: first) == ["alg": "ES256", "typ": type, "kid": signer.keyID])
            #expect(try Self.header(of: second) == ["alg": "ES256", "typ": type, "kid": signer.keyID])
            // A prepared header is the same bytes in every token (a header encoded per token orders its fields as
            // each new dictionary happens to, which is how the on-demand type differs).
            if type != "custom+jwt" { #expect(first.split(separator: ".")[0] == second.split(separator: ".")[0]) }
            #expect(first.split(separator: ".").count == 3)
        }
        // An access token made with the prepared header still verifies; a backend-JWT header does not pass for one.
        let verifier = try await signer.verifier(issuer: "https://km.example.com/oauth2/token")
        if case .failure(let rejection) = verifier.verify(try signer.sign(claims, type: "at+jwt"), now: 2_000) {
            Issue.record("an access token was refused: \(rejection)")
        }
        if case .success = verifier.verify(try signer.sign(claims, type: "JWT"), now: 2_000) {
            Issue.record("a backend JWT passed for an access token")
        }
    }

    @Test(arguments: Array(0...67)) func base64URLMatchesFoundationsBase64Transformed(length: Int) {
        // Every remainder (0, 1 and 2 bytes past a group of three), and bytes that give '+' and '/' in base64.
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 67 &+ 251) }
        #expect(Base64URL.encode(bytes) == ES256AccessTokenTests.base64URL(bytes))
    }
}
