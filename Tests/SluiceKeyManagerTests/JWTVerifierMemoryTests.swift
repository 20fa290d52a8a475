import Foundation
import SluiceKeyManager
import Testing

@testable import SluiceJWT

/// The verifier's memory of tokens it checked: filed by the token's tail, answering only for exactly the token seen
/// (compared whole, in constant time), a tampered token with the same signature never taken for the good one.
@Suite struct JWTVerifierMemoryTests {
    /// `token` with one character of its payload changed (the signature, and so the tail, kept).
    static func tampered(_ token: String) -> String {
        var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let first = parts[1].removeFirst()
        parts[1] = String(first == "e" ? "f" : "e") + parts[1]
        return parts.joined(separator: ".")
    }

    @Test func onlyATokenSeenBeforeIsRemembered() async throws {
        let fixture = try await KeyManagerFixture(signer: try await JWTAccessTokenTests.signer())
        let token = try await fixture.passwordToken().accessToken
        let verifier = try #require(fixture.keyManager.validationService.jwtVerifier)
        #expect(verifier.remembered(token) == nil)
        #expect(fixture.validate(token).authorized)
        guard case .success(let verified)? = verifier.remembered(token) else {
            Issue.record("a validated token is remembered")
            return
        }
        #expect(verified.claims.sub == "alice")
        #expect(verified.tokenHash == SecretGenerator.hash(token))
        // An opaque token is not a remembered JWT.
        #expect(verifier.remembered("0e6c1b4e-2d1f-3a55-9b0d-7c4d2f1e8a90") == nil)
    }

    @Test func aTamperedTokenWithTheSameSignatureIsNeverTheGoodOne() async throws {
        let fixture = try await KeyManagerFixture(signer: try await JWTAccessTokenTests.signer())
        let token = try await fixture.passwordToken().accessToken
        let verifier = try #require(fixture.keyManager.validationService.jwtVerifier)
        #expect(fixture.validate(token).authorized)
        let forged = Self.tampered(token)
        #expect(TokenTail(forged) == TokenTail(token))
        #expect(verifier.remembered(forged) == nil)
        #expect(fixture.validate(forged).errorCode == .invalidCredentials)
        // The forged token took the slot of its tail: the good one is verified again, and still good.
        #expect(verifier.remembered(token) == nil)
        #expect(fixture.validate(token).authorized)
        #expect(fixture.validate(forged).errorCode == .invalidCredentials)
    }

    @Test func tailsTellTokensApartByTheirEndAndLength() {
        let signature = String(repeating: "s", count: 30) + "0123456789abcdef"
        #expect(TokenTail("a.b." + signature) == TokenTail("x.y." + signature))
        #expect(TokenTail("a.b." + signature) != TokenTail("a.bb." + signature))
        #expect(TokenTail("a.b." + signature) != TokenTail("a.b." + signature.dropLast() + "F"))
        // Tokens shorter than a tail.
        #expect(TokenTail("abc") != TokenTail("abd"))
        #expect(TokenTail("") == TokenTail(""))
    }

    @Test func sameTokenComparesEveryByte() {
        let token = "header.payload." + String(repeating: "z", count: 40)
        #expect(TokenTail.sameToken(token, String(token.utf8.map { Character(UnicodeScalar($0)) })))
        #expect(!TokenTail.sameToken(token, "H" + token.dropFirst()))
        #expect(!TokenTail.sameToken(token, token.dropLast() + "y"))
        #expect(!TokenTail.sameToken(token, token + "z"))
        #expect(!TokenTail.sameToken(token, ""))
        #expect(TokenTail.sameToken("", ""))
    }
}
