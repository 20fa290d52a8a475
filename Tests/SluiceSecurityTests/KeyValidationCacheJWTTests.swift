import NIOPosix
import SluiceJWT
import SluiceMediation
import SluiceModel
import SluiceTLS
import Synchronization
import Testing

@testable import SluiceSecurity

/// A split gateway checking JWT access tokens itself against the key manager's signing keys: forged, foreign,
/// expired, not-yet-valid and misaddressed tokens are refused without a call to the key manager; a good one goes
/// there once (for its subscription) and is then answered from the cache.
@Suite(.timeLimit(.minutes(1))) struct KeyValidationCacheJWTTests {
    static let issuer = "https://km.example.com:9443/oauth2/token"
    /// 1,000,000 s after the epoch, in the cache clock's milliseconds.
    static let start: Int64 = 1_000_000_000

    static func signer() async throws -> TokenSigner {
        let pair = try SelfSignedCertificate(hostNames: [])
        let store = try KeyStore.fromPEM(certificatePEM: pair.certificatePEM, privateKeyPEM: pair.privateKeyPEM)
        guard case .rsa(let key) = store.keyMaterial else { throw CancellationError() }
        return try await TokenSigner(key: .rsa(key), certificateDER: store.leafDER)
    }

    static func claims(issuedAt: Int64 = 1_000_000, validity: Int64 = 3600, issuer: String = issuer) -> AccessTokenClaims {
        AccessTokenClaims(
            issuer: issuer, subject: "alice", clientID: "client-1", issuedAt: issuedAt, expiresAt: issuedAt + validity,
            tokenID: "7b6c3f0e-1111-4222-8333-944455556666", scopes: ["default"], userType: "APPLICATION_USER",
            keyType: "PRODUCTION",
            application: .init(owner: "alice", tier: "Unlimited", name: "Shop", id: "app-1")
        )
    }

    static func request(_ token: String) -> KeyValidationRequest {
        KeyValidationRequest(accessToken: token, apiContext: "/a/1", apiVersion: "1", resource: "/x", httpMethod: "GET")
    }

    /// The cache's immediate answer, or nil when it had to ask the key manager.
    static func immediate(_ cache: KeyValidationCache, _ token: String) -> KeyValidationResult? {
        if case .hit(let result) = cache.lookup(request(token), apiScope: "/a/1:1") { return result }
        return nil
    }

    struct Setup {
        let signer: TokenSigner
        let validator: CountingValidator
        let cache: KeyValidationCache
        let time: TestTime
    }

    static func setup(answers: (TokenSigner) throws -> [String: KeyValidationResult] = { _ in [:] }) async throws -> Setup {
        let signer = try await signer()
        let validator = CountingValidator(try answers(signer))
        let time = TestTime(start)
        let cache = KeyValidationCache(
            validator: validator, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            configuration: .init(timestampSkew: 300), clock: time.clock
        )
        cache.useVerifier(try await signer.verifier(issuer: issuer))
        return Setup(signer: signer, validator: validator, cache: cache, time: time)
    }

    @Test func badJWTsAreRefusedWithoutAskingTheKeyManager() async throws {
        let setup = try await Self.setup()
        let (signer, cache) = (setup.signer, setup.cache)
        let good = try signer.sign(Self.claims(), type: "at+jwt")
        var flipped = Array(good)
        flipped[flipped.count - 3] = flipped[flipped.count - 3] == "A" ? "B" : "A"
        #expect(Self.immediate(cache, String(flipped))?.errorCode == .invalidCredentials)
        let foreign = try await Self.signer()
        #expect(Self.immediate(cache, try foreign.sign(Self.claims(), type: "at+jwt"))?.errorCode == .invalidCredentials)
        let otherIssuer = Self.claims(issuer: "https://elsewhere.example.com/oauth2/token")
        #expect(Self.immediate(cache, try signer.sign(otherIssuer, type: "at+jwt"))?.errorCode == .invalidCredentials)
        var otherAudience = Self.claims()
        otherAudience.aud = "client-2"
        #expect(Self.immediate(cache, try signer.sign(otherAudience, type: "at+jwt"))?.errorCode == .invalidCredentials)
        #expect(Self.immediate(cache, try signer.sign(Self.claims(), type: "JWT"))?.errorCode == .invalidCredentials)
        #expect(Self.immediate(cache, "a.b.c")?.errorCode == .invalidCredentials)
        // Expired 300 s (the skew) before `exp`, as the key manager counts it.
        let expiring = try signer.sign(Self.claims(issuedAt: 1_000_000 - 3000, validity: 3300), type: "at+jwt")
        #expect(Self.immediate(cache, expiring)?.errorCode == .accessTokenExpired)
        // Valid from more than the skew in the future.
        let early = try signer.sign(Self.claims(issuedAt: 1_000_000 + 301), type: "at+jwt")
        #expect(Self.immediate(cache, early)?.errorCode == .invalidCredentials)
        #expect(setup.validator.calls.withLock { $0 } == 0)
        #expect(cache.count == 0)
    }

    @Test func aGoodJWTAsksTheKeyManagerOnceThenExpiresLocally() async throws {
        let token = Mutex<String?>(nil)
        let setup = try await Self.setup { signer in
            let text = try signer.sign(Self.claims(issuedAt: 1_000_000 - 100), type: "at+jwt")
            token.withLock { $0 = text }
            // The key manager's answer lives until exp less the skew: 1,003,500 - 300.
            return [text: KeyValidationResult(authorized: true, validUntil: 1_003_200)]
        }
        let jwt = try #require(token.withLock { $0 })
        // Within the skew of nbf: not refused locally.
        #expect(Self.immediate(setup.cache, jwt) == nil)
        for _ in 0..<3 {
            let answer = try await KeyValidationCacheTests.resolve(setup.cache, Self.request(jwt))
            #expect(answer.authorized)
        }
        #expect(setup.validator.calls.withLock { $0 } == 1)
        setup.time.milliseconds.withLock { $0 = 1_003_200_000 }
        #expect(Self.immediate(setup.cache, jwt)?.errorCode == .accessTokenExpired)
        #expect(setup.validator.calls.withLock { $0 } == 1)
    }

    @Test func opaqueTokensAndJWTsBeforeTheKeysAreKnownGoToTheKeyManager() async throws {
        let validator = CountingValidator(["opaque": KeyValidationResult(authorized: true, validUntil: 2_000_000)])
        let cache = KeyValidationCache(
            validator: validator, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            clock: EpochClock { Self.start }
        )
        #expect(!cache.verifiesJWTs)
        #expect(Self.immediate(cache, "x.y.z") == nil)
        let signer = try await Self.signer()
        cache.useVerifier(try await signer.verifier(issuer: Self.issuer))
        #expect(cache.verifiesJWTs)
        #expect(try await KeyValidationCacheTests.resolve(cache, Self.request("opaque")).authorized)
        #expect(Self.immediate(cache, "x.y.z")?.errorCode == .invalidCredentials)
    }
}

/// The test's adjustable wall clock, in milliseconds since the epoch.
final class TestTime: Sendable {
    let milliseconds: Mutex<Int64>

    init(_ milliseconds: Int64) {
        self.milliseconds = Mutex(milliseconds)
    }

    var clock: EpochClock { EpochClock { self.milliseconds.withLock { $0 } } }
}
