import AsyncHTTPClient
import Foundation
import SluiceTesting
import SluiceJWT
import SluiceModel
import Synchronization
import Testing

/// The backend JWT (WSO2's `JWTConfiguration`) through the gateway: the backend receives `X-JWT-Assertion` with
/// WSO2's claims, signed with the gateway's key, which PyJWT verifies against the gateway's `/jwks`; the JWT is
/// signed once per token and API and made again only when it is about to expire (injected clock).
@Suite(.timeLimit(.minutes(1))) struct BackendJWTLiveTests {
    /// Seconds since 1970 the issuer reads; tests move it. It starts at the real time only because PyJWT checks
    /// `iat` and `exp` against its own clock (15 minutes of slack).
    final class Time: Sendable {
        let start = Int64(Date().timeIntervalSince1970)
        let seconds: Atomic<Int64>
        init() { seconds = Atomic(start) }
        func read() -> Int64 { seconds.load(ordering: .relaxed) }
        func advance(_ by: Int64) { seconds.add(by, ordering: .relaxed) }
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// PyJWT's report on `jwt` checked against `keySet` (`Tests/RealClients/backend_jwt_verify.py`).
    static func verifyWithPyJWT(_ jwt: String, keySet: String) async throws -> [String: Any] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-backend-jwt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try keySet.write(to: folder.appendingPathComponent("jwks.json"), atomically: true, encoding: .utf8)
        try jwt.write(to: folder.appendingPathComponent("token.jwt"), atomically: true, encoding: .utf8)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("RealClients/backend_jwt_verify.py").path
        let verify = try await ChildProcess.run(
            "/usr/bin/python3",
            [script, folder.appendingPathComponent("jwks.json").path, folder.appendingPathComponent("token.jwt").path]
        )
        try #require(verify.status == 0, "python: \(verify.error)")
        return try json(verify.output)
    }

    @Test func theBackendReceivesAJWTThatPyJWTVerifiesAndItIsSignedOncePerTokenUntilItExpires() async throws {
        let time = Time()
        let issuer = BackendJWTIssuer(
            settings: BackendJWTSettings(isEnabled: true, validitySeconds: 900),
            signer: try await JWTGatewayLiveTests.signer(),
            now: { time.read() }
        )
        let fixture = try await APIManagerFixture.start(backendJWT: issuer)
        let app = try await fixture.application("Mobile")
        // A client cannot hand the backend a JWT of its own: the gateway's replaces it.
        let first = try await fixture.call(token: app.token, headers: [("X-JWT-Assertion", "forged.by.client")])
        #expect(first.status == 200, "\(first.body)")
        let jwt = try #require(fixture.backend.recordedRequests.last?.header("X-JWT-Assertion"))
        #expect(jwt != "forged.by.client" && jwt.split(separator: ".").count == 3)
        #expect(fixture.backend.recordedRequests.last?.header("Authorization") == nil)

        let keySet = try await HTTPClient.shared.send(.GET, fixture.gateway.baseURL + "/jwks")
        #expect(keySet.status == 200)
        let report = try await Self.verifyWithPyJWT(jwt, keySet: keySet.body)
        #expect(report["tampered_rejected"] as? Bool == true)
        let header = try #require(report["header"] as? [String: Any])
        #expect(header["alg"] as? String == "RS256" && header["typ"] as? String == "JWT")
        let claims = try #require(report["claims"] as? [String: Any])
        let dialect = "http://wso2.org/claims/"
        #expect(claims["iss"] as? String == "wso2.org/products/am")
        #expect(claims["iat"] as? Int == Int(time.start))
        #expect(claims["exp"] as? Int == Int(time.start) + 900)
        #expect(claims[dialect + "subscriber"] as? String == "alice")
        #expect(claims[dialect + "applicationname"] as? String == "Mobile")
        #expect(claims[dialect + "applicationid"] as? String == app.application.id)
        #expect(claims[dialect + "applicationtier"] as? String == "Unlimited")
        #expect(claims[dialect + "apicontext"] as? String == "/pizzashack/1.0.0")
        #expect(claims[dialect + "version"] as? String == "1.0.0")
        #expect(claims[dialect + "tier"] as? String == "Unlimited")
        #expect(claims[dialect + "keytype"] as? String == "PRODUCTION")
        #expect(claims[dialect + "usertype"] as? String == "APPLICATION")
        #expect(claims[dialect + "enduserTenantId"] as? String == "-1234")
        #expect(claims[dialect + "enduser"] != nil)

        // A cache hit signs nothing: the same JWT reaches the backend.
        #expect(try await fixture.call(token: app.token).status == 200)
        #expect(fixture.backend.recordedRequests.last?.header("X-JWT-Assertion") == jwt)
        #expect(issuer.signatureCount == 1)
        // Close to its expiry it is made again.
        time.advance(900 - 29)
        #expect(try await fixture.call(token: app.token).status == 200)
        let renewed = try #require(fixture.backend.recordedRequests.last?.header("X-JWT-Assertion"))
        #expect(renewed != jwt)
        #expect(issuer.signatureCount == 2)
        // Another token gets its own JWT.
        let other = try await fixture.application("Other")
        #expect(try await fixture.call(token: other.token).status == 200)
        #expect(issuer.signatureCount == 3)
        await fixture.stop()
    }

    @Test func withoutJWTConfigurationNothingIsAddedAndNoKeyIsServed() async throws {
        let fixture = try await APIManagerFixture.start()
        let app = try await fixture.application("Plain")
        #expect(try await fixture.call(token: app.token).status == 200)
        #expect(fixture.backend.recordedRequests.last?.header("X-JWT-Assertion") == nil)
        #expect(try await HTTPClient.shared.send(.GET, fixture.gateway.baseURL + "/jwks").status == 404)
        await fixture.stop()
    }

    @Test func aJWTNeverOutlivesItsTokenAndTheDialectIsConfigurable() async throws {
        let issuer = BackendJWTIssuer(
            settings: BackendJWTSettings(isEnabled: true, claimDialect: "urn:claims", validitySeconds: 900),
            signer: try await JWTGatewayLiveTests.signer(),
            now: { 1_000 }
        )
        let caller = BackendJWTIssuer.Caller(
            subscriber: "alice", applicationID: "a1", applicationName: "Shop", applicationTier: "Large", apiName: "Orders",
            apiContext: "/orders/1.0.0", version: "1.0.0", subscriptionTier: "Gold", keyType: "SANDBOX",
            userType: "APPLICATION_USER", endUser: "bob", credentialExpiry: 1_100
        )
        let claims = issuer.claims(caller, issuedAt: 1_000, expiry: 1_100)
        #expect(claims.claims["urn:claims/keytype"] == "SANDBOX")
        #expect(claims.subject == "bob")
        let jwt = try #require(issuer.assertion(for: "token", apiContext: "/orders/1.0.0", version: "1.0.0") { caller })
        let payload = try #require(jwt.split(separator: ".").dropFirst().first)
        var base64 = payload.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        let decoded = try Self.json(String(decoding: try #require(Data(base64Encoded: base64)), as: UTF8.self))
        #expect(decoded["exp"] as? Int == 1_100)
    }
}
