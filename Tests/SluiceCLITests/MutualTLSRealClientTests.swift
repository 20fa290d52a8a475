import Foundation
import Testing

/// WSO2's "Mutual SSL" API security end to end through a running `sluice server`, with real clients only: openssl
/// makes the client certificates, curl uploads one through the publisher's `client-certificates` form, and curl
/// calls the gateway over HTTPS with `--cert`/`--key`: the uploaded certificate passes, none or another one gets
/// WSO2's 900901, and after the certificate is deleted it is refused too.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct MutualTLSRealClientTests {
    /// A fresh key and self-signed certificate for `name`, as a client would make them.
    static func makeCertificate(_ server: SluiceServerProcess, _ name: String) async throws -> (certificate: String, key: String) {
        let certificate = server.workspace + "/\(name).crt"
        let key = server.workspace + "/\(name).key"
        let made = try await server.execute(
            "/usr/bin/openssl",
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
             "-subj", "/CN=\(name)/O=Sluice tests", "-keyout", key, "-out", certificate]
        )
        try #require(made.status == 0, "\(made.error)")
        return (certificate, key)
    }

    /// curl against the management HTTPS port as admin: status code, then body.
    static func manage(_ server: SluiceServerProcess, _ arguments: [String]) async throws -> (status: Int, body: String) {
        let run = try await server.execute(
            "/usr/bin/curl",
            ["-sS", "--cacert", server.certificatePath, "-u", "admin:\(SluiceServerProcess.adminPassword)",
             "-w", "\n%{http_code}"] + arguments
        )
        try #require(run.status == 0, "curl: \(run.error)")
        let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    /// curl calling the gateway over HTTPS, with a client certificate when given.
    static func call(_ server: SluiceServerProcess, with identity: (certificate: String, key: String)?) async throws
        -> (status: Int, body: String)
    {
        var arguments = ["-sS", "--cacert", server.certificatePath, "-H", "Accept: application/json", "-w", "\n%{http_code}"]
        if let identity { arguments += ["--cert", identity.certificate, "--key", identity.key] }
        let run = try await server.execute("/usr/bin/curl", arguments + [server.gatewayHTTPSURL + "/orders/1.0.0/menu"])
        try #require(run.status == 0, "curl: \(run.error)")
        let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    @Test func curlWithTheUploadedCertificatePassesAndEveryOtherCallIsRefused() async throws {
        let server = try SluiceServerProcess()
        try await server.start()
        defer { server.stop() }
        let client = try await Self.makeCertificate(server, "orders-client")
        let stranger = try await Self.makeCertificate(server, "stranger")
        let publisher = server.managementHTTPSURL + "/api/am/publisher/v4"
        let definition = """
            {"name": "Orders", "context": "/orders", "version": "1.0.0", "provider": "admin",
             "policies": ["Unlimited"], "securityScheme": ["mutualssl"],
             "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "\(server.backendURL)"}},
             "operations": [{"target": "/menu", "verb": "GET", "throttlingPolicy": "Unlimited"}]}
            """
        let created = try await Self.manage(server, ["-H", "Content-Type: application/json", "-d", definition, publisher + "/apis"])
        try #require(created.status == 201, "\(created.body)")
        let apiID = try #require(
            (try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])?["id"] as? String
        )
        let uploaded = try await Self.manage(
            server,
            ["-F", "certificate=@\(client.certificate)", "-F", "alias=orders-client", "-F", "tier=Unlimited",
             publisher + "/apis/\(apiID)/client-certificates"]
        )
        #expect(uploaded.status == 200, "\(uploaded.body)")
        let published = try await Self.manage(
            server, ["-X", "POST", publisher + "/apis/change-lifecycle?apiId=\(apiID)&action=Publish"]
        )
        #expect(published.status == 200, "\(published.body)")

        // The gateway deploys the published artifact within about a second.
        var served = try await Self.call(server, with: client)
        let deadline = Date().addingTimeInterval(15)
        while served.status != 200 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            served = try await Self.call(server, with: client)
        }
        #expect(served.status == 200, "\(served.body)")
        #expect(served.body.contains("Chicken Parmesan"))

        for identity in [nil, stranger] {
            let refused = try await Self.call(server, with: identity)
            #expect(refused.status == 401, "\(refused.body)")
            #expect(refused.body.contains("900901"))
        }
        // The API is HTTPS-only: plain HTTP gets WSO2's 403.
        let plain = try await server.execute("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", server.gatewayURL + "/orders/1.0.0/menu"])
        #expect(plain.output == "403")

        let deleted = try await Self.manage(
            server, ["-X", "DELETE", publisher + "/apis/\(apiID)/client-certificates/orders-client"]
        )
        #expect(deleted.status == 200, "\(deleted.body)")
        var afterDelete = try await Self.call(server, with: client)
        let redeployed = Date().addingTimeInterval(15)
        while afterDelete.status == 200 && Date() < redeployed {
            try await Task.sleep(for: .milliseconds(100))
            afterDelete = try await Self.call(server, with: client)
        }
        #expect(afterDelete.status == 401, "\(afterDelete.body)")
    }
}
