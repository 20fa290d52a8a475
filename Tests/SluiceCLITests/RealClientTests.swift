import Foundation
import Testing

/// Clients that are not ours against a running `sluice server` over HTTPS with its generated certificate:
/// Python's requests-oauthlib for the token endpoint, PyJWT for the JWT access tokens and the JWK set
/// (Debian's python3-requests-oauthlib and python3-jwt; `.ci/run` installs them).
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RealClientTests {
    static let python = "/usr/bin/python3"
    static let script = SluiceServerProcess.packageRoot + "/Tests/RealClients/oauth_jwt_client.py"

    @Test func requestsOAuthlibGetsTokensOverHTTPSAndPyJWTVerifiesThemAgainstTheJWKS() async throws {
        let server = try SluiceServerProcess()
        try await server.start()
        defer { server.stop() }
        let admin = [
            "Authorization": "Basic " + Data("admin:\(SluiceServerProcess.adminPassword)".utf8).base64EncodedString(),
            "Content-Type": "application/json",
        ]
        let created = try await HTTP.send(
            "POST", server.managementURL + "/api/am/devportal/v3/applications", headers: admin,
            body: #"{"name":"PythonClient","throttlingPolicy":"Unlimited"}"#
        )
        #expect(created.status == 201, "\(created.body)")
        let application = try #require(try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])
        // New applications get JWT access tokens, as in WSO2 4.x.
        #expect(application["tokenType"] as? String == "JWT")
        let id = try #require(application["applicationId"] as? String)
        let keys = try await HTTP.send(
            "POST", server.managementURL + "/api/am/devportal/v3/applications/\(id)/generate-keys", headers: admin,
            body: #"{"keyType":"PRODUCTION","grantTypesToBeSupported":["client_credentials","password","refresh_token"]}"#
        )
        let generated = try #require(try JSONSerialization.jsonObject(with: Data(keys.body.utf8)) as? [String: Any])
        let consumerKey = try #require(generated["consumerKey"] as? String)
        let consumerSecret = try #require(generated["consumerSecret"] as? String)

        // The script checks that OAUTHLIB_INSECURE_TRANSPORT is not set: the token endpoint is reached over HTTPS.
        let run = try server.run(
            Self.python,
            [
                Self.script, server.managementHTTPSURL, server.certificatePath, consumerKey, consumerSecret, "admin",
                SluiceServerProcess.adminPassword,
            ]
        )
        try #require(run.status == 0, "python: \(run.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(report["plain_http_refused"] as? Bool == true)
        #expect(report["issuer"] as? String == server.managementHTTPSURL + "/oauth2/token")
        #expect(report["tampered_rejected"] as? Bool == true)
        #expect(report["refresh_token_issued"] as? Bool == true)
        let header = try #require(report["header"] as? [String: Any])
        #expect(header["alg"] as? String == "RS256")
        #expect(header["typ"] as? String == "at+jwt")
        let applicationClaims = try #require(report["application_claims"] as? [String: Any])
        #expect(applicationClaims["client_id"] as? String == consumerKey)
        #expect(applicationClaims["aut"] as? String == "APPLICATION")
        #expect((applicationClaims["application"] as? [String: Any])?["name"] as? String == "PythonClient")
        let userClaims = try #require(report["user_claims"] as? [String: Any])
        #expect(userClaims["sub"] as? String == "admin")
        #expect(userClaims["aut"] as? String == "APPLICATION_USER")
    }
}
