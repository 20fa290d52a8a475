import Foundation
import Testing

/// WSO2 4.x API keys end to end through a running `sluice server`: an API published with `securityScheme`
/// `[oauth2, api_key]`, a key generated and revoked through the devportal REST API, and curl calling the gateway
/// over HTTPS with `--cacert` (the generated certificate) with the key in the `apikey` header and query parameter.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct APIKeyRealClientTests {
    static let admin = [
        "Authorization": "Basic " + Data("admin:\(SluiceServerProcess.adminPassword)".utf8).base64EncodedString(),
        "Content-Type": "application/json",
    ]

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// curl over HTTPS trusting only the server's certificate: the status code, then the body.
    static func curl(_ server: SluiceServerProcess, _ path: String, headers: [String] = []) async throws -> (status: Int, body: String) {
        var arguments = ["-sS", "--cacert", server.certificatePath, "-H", "Accept: application/json", "-w", "\n%{http_code}"]
        for header in headers { arguments += ["-H", header] }
        let run = try await server.execute("/usr/bin/curl", arguments + [server.gatewayHTTPSURL + path])
        try #require(run.status == 0, "curl: \(run.error)")
        let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    static func generate(_ server: SluiceServerProcess, _ applicationID: String, body: String) async throws -> String {
        let generated = try await HTTP.send(
            "POST", server.managementURL + "/api/am/devportal/v3/applications/\(applicationID)/api-keys/PRODUCTION/generate",
            headers: admin, body: body
        )
        try #require(generated.status == 200, "\(generated.body)")
        return try #require(try json(generated.body)["apikey"] as? String)
    }

    @Test func curlCallsWithAnAPIKeyOverHTTPSUntilItIsRevoked() async throws {
        let server = try SluiceServerProcess()
        try await server.start()
        defer { server.stop() }
        let management = server.managementURL + "/api/am"
        let definition = """
            {"name": "KeyedOrders", "context": "/keyed", "version": "1.0.0", "provider": "admin",
             "policies": ["Unlimited"], "securityScheme": ["oauth2", "api_key"],
             "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "\(server.backendURL)"}},
             "operations": [{"target": "/menu", "verb": "GET", "throttlingPolicy": "Unlimited"}]}
            """
        let created = try await HTTP.send("POST", management + "/publisher/v4/apis", headers: Self.admin, body: definition)
        try #require(created.status == 201, "\(created.body)")
        let apiID = try #require(try Self.json(created.body)["id"] as? String)
        let published = try await HTTP.send(
            "POST", management + "/publisher/v4/apis/change-lifecycle?apiId=\(apiID)&action=Publish", headers: Self.admin
        )
        #expect(published.status == 200)
        let application = try await HTTP.send(
            "POST", management + "/devportal/v3/applications", headers: Self.admin,
            body: #"{"name": "KeyedApp", "throttlingPolicy": "Unlimited"}"#
        )
        let applicationID = try #require(try Self.json(application.body)["applicationId"] as? String)
        let subscription = try await HTTP.send(
            "POST", management + "/devportal/v3/subscriptions", headers: Self.admin,
            body: #"{"applicationId": "\#(applicationID)", "apiId": "\#(apiID)", "throttlingPolicy": "Unlimited"}"#
        )
        #expect(subscription.status == 201)

        let key = try await Self.generate(server, applicationID, body: #"{"validityPeriod": 3600, "additionalProperties": {"permittedIP": "127.0.0.1, ::1"}}"#)
        // The gateway deploys the published artifact within about a second.
        var served = try await Self.curl(server, "/keyed/1.0.0/menu", headers: ["apikey: \(key)"])
        let deadline = Date().addingTimeInterval(15)
        while served.status != 200 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            served = try await Self.curl(server, "/keyed/1.0.0/menu", headers: ["apikey: \(key)"])
        }
        #expect(served.status == 200, "\(served.body)")
        #expect(served.body.contains("Chicken Parmesan"))
        #expect(try await Self.curl(server, "/keyed/1.0.0/menu?apikey=\(key)").status == 200)

        let missing = try await Self.curl(server, "/keyed/1.0.0/menu")
        #expect(missing.status == 401)
        #expect(missing.body.contains("900902"))
        var tampered = Array(key)
        tampered[tampered.count - 3] = tampered[tampered.count - 3] == "A" ? "B" : "A"
        let forged = try await Self.curl(server, "/keyed/1.0.0/menu", headers: ["apikey: \(String(tampered))"])
        #expect(forged.status == 401)
        #expect(forged.body.contains("900901"))

        let elsewhere = try await Self.generate(server, applicationID, body: #"{"additionalProperties": {"permittedIP": "10.1.2.3"}}"#)
        let refused = try await Self.curl(server, "/keyed/1.0.0/menu", headers: ["apikey: \(elsewhere)"])
        #expect(refused.status == 403)
        #expect(refused.body.contains("900908"))

        let revoked = try await HTTP.send(
            "POST", management + "/devportal/v3/applications/\(applicationID)/api-keys/PRODUCTION/revoke",
            headers: Self.admin, body: #"{"apikey": "\#(key)"}"#
        )
        #expect(revoked.status == 200)
        let afterRevocation = try await Self.curl(server, "/keyed/1.0.0/menu", headers: ["apikey: \(key)"])
        #expect(afterRevocation.status == 401)
        #expect(afterRevocation.body.contains("900901"))
        let foreign = try await HTTP.send(
            "POST", management + "/devportal/v3/applications/\(applicationID)/api-keys/PRODUCTION/revoke",
            headers: Self.admin, body: #"{"apikey": "\#(String(tampered))"}"#
        )
        #expect(foreign.status == 400)
    }
}
