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
        let (application, consumerKey, consumerSecret) = try await Self.application(
            "PythonClient", on: server, grantTypes: ["client_credentials", "password", "refresh_token"]
        )
        // New applications get JWT access tokens, as in WSO2 4.x.
        #expect(application["tokenType"] as? String == "JWT")

        // The script checks that OAUTHLIB_INSECURE_TRANSPORT is not set: the token endpoint is reached over HTTPS.
        let run = try await server.execute(
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

    /// Creates an application through the devportal REST API and generates its production keys.
    /// - Returns: The application as JSON, its consumer key and secret.
    static func application(
        _ name: String,
        on server: SluiceServerProcess,
        grantTypes: [String],
        callbackURL: String? = nil
    ) async throws -> (application: [String: Any], consumerKey: String, consumerSecret: String) {
        let admin = [
            "Authorization": "Basic " + Data("admin:\(SluiceServerProcess.adminPassword)".utf8).base64EncodedString(),
            "Content-Type": "application/json",
        ]
        let created = try await HTTP.send(
            "POST", server.managementURL + "/api/am/devportal/v3/applications", headers: admin,
            body: #"{"name":"\#(name)","throttlingPolicy":"Unlimited"}"#
        )
        #expect(created.status == 201, "\(created.body)")
        let application = try #require(try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])
        let id = try #require(application["applicationId"] as? String)
        var request: [String: Any] = ["keyType": "PRODUCTION", "grantTypesToBeSupported": grantTypes]
        if let callbackURL { request["callbackUrl"] = callbackURL }
        let keys = try await HTTP.send(
            "POST", server.managementURL + "/api/am/devportal/v3/applications/\(id)/generate-keys", headers: admin,
            body: String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        )
        #expect(keys.status == 200, "\(keys.body)")
        let generated = try #require(try JSONSerialization.jsonObject(with: Data(keys.body.utf8)) as? [String: Any])
        return (
            application, try #require(generated["consumerKey"] as? String),
            try #require(generated["consumerSecret"] as? String)
        )
    }

    @Test func oauthlibRunsTheAuthorizationCodeGrantWithPKCEOverHTTPS() async throws {
        let server = try SluiceServerProcess()
        try await server.start { repository in
            // WSO2's identity.xml offers the grant; the shipped one lists only the grants tools use.
            let path = repository + "/conf/identity.xml"
            let identity = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
                of: "</SupportedGrantTypes>",
                with: "<SupportedGrantType><GrantTypeName>authorization_code</GrantTypeName></SupportedGrantType>"
                    + "</SupportedGrantTypes>"
            )
            try identity.write(toFile: path, atomically: true, encoding: .utf8)
        }
        defer { server.stop() }
        let callback = "https://app.example.com/callback"
        let (_, consumerKey, consumerSecret) = try await Self.application(
            "BrowserApp", on: server, grantTypes: ["authorization_code", "refresh_token"], callbackURL: callback
        )
        let run = try await server.execute(
            Self.python,
            [
                SluiceServerProcess.packageRoot + "/Tests/RealClients/oauth_code_client.py", server.managementHTTPSURL,
                server.certificatePath, consumerKey, consumerSecret, callback, "admin", SluiceServerProcess.adminPassword,
            ]
        )
        try #require(run.status == 0, "python: \(run.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(report["code_challenge_methods"] as? [String] == ["S256"])
        #expect(report["page_status"] as? Int == 200)
        #expect(report["authorize_status"] as? Int == 302)
        #expect(report["redirected_to_callback"] as? Bool == true)
        #expect(report["token_type"] as? String == "Bearer")
        #expect(report["access_token_parts"] as? Int == 3)
        #expect(report["refresh_token_issued"] as? Bool == true)
        #expect(report["replay_error"] as? String == "invalid_grant")
    }
}
