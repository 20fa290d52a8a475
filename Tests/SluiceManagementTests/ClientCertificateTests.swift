import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SluiceManagement
import SluiceTLS
import Testing

/// The publisher's client certificates of a mutual-TLS API (`/apis/{apiId}/client-certificates` and
/// `/client-certs/{keyType}`): uploads as WSO2's multipart form, the artifact listing them by fingerprint, and
/// every refusal (not a certificate, expired, unknown tier, alias taken, certificate already uploaded).
@Suite(.timeLimit(.minutes(1))) struct ClientCertificateTests {
    static let boundary = "sluice-certificate-boundary"
    static let certificate = try! SelfSignedCertificate(hostNames: ["orders-client"])
    static let other = try! SelfSignedCertificate(hostNames: ["billing-client"])

    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        var body = ""
        for (name, value) in fields {
            let fileName = name == "certificate" ? "; filename=\"client.crt\"" : ""
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\(fileName)\r\n\r\n\(value)\r\n"
        }
        return ByteBuffer(string: body + "--\(boundary)--\r\n")
    }

    static func upload(
        _ client: Client, _ method: HTTPRequest.Method, _ uri: String, _ fields: [(String, String)], as user: String = "chris"
    ) async throws -> Answer {
        let credentials = Data("\(user):\(ManagementFixture.password(user))".utf8).base64EncodedString()
        return try await client.send(
            method, uri,
            headers: [.authorization: "Basic \(credentials)", .contentType: "multipart/form-data; boundary=\(boundary)"],
            body: form(fields)
        )
    }

    static func mutualTLSAPI() -> String {
        Client.apiJSON(name: "Orders", context: "/orders", extra: #", "securityScheme": ["mutualssl"]"#)
    }

    @Test func uploadedCertificatesReachTheArtifactByFingerprintAndLeaveWithADelete() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.publishedAPI(Self.mutualTLSAPI())
            let base = "\(Client.publisher)/apis/\(apiID)/client-certificates"
            let details = try CertificateDetails(uploaded: Array(Self.certificate.certificatePEM.utf8))
            let added = try await Self.upload(
                client, .post, base, [("certificate", Self.certificate.certificatePEM), ("alias", "orders"), ("tier", "Gold")]
            )
            #expect(added.status == .ok, "\(added.text)")
            #expect(try added.object["alias"] as? String == "orders")
            #expect(try added.object["keyType"] as? String == "PRODUCTION")
            #expect(added.headers[.location] == "\(base)/orders")

            // The deployed artifact is HTTPS-only and names the certificate by fingerprint, with its tier.
            let artifact = try fixture.artifact("chris--Orders_v1.0.0.xml")
            #expect(artifact.contains("sha256:\(details.fingerprint)=Gold:PRODUCTION"))
            #expect(artifact.contains(#"transports="https""#))

            let sandbox = try await Self.upload(
                client, .post, "\(Client.publisher)/apis/\(apiID)/client-certs/SANDBOX",
                [("certificate", Self.other.certificatePEM), ("alias", "billing"), ("tier", "Unlimited")]
            )
            #expect(sandbox.status == .ok, "\(sandbox.text)")
            let all = try await client.get(base, as: "chris")
            #expect(try all.object["count"] as? Int == 1)
            let sandboxOnly = try await client.get("\(Client.publisher)/apis/\(apiID)/client-certs/SANDBOX", as: "chris")
            #expect((try sandboxOnly.object["certificates"] as? [[String: Any]])?.map { $0["alias"] as? String } == ["billing"])

            let info = try await client.get("\(base)/orders", as: "chris")
            #expect(try info.object["status"] as? String == "Active")
            #expect(try info.object["fingerprint"] as? String == details.fingerprint)
            #expect((try info.object["subject"] as? String)?.contains("CN=localhost") == true)
            let content = try await client.get("\(base)/orders/content", as: "chris")
            #expect(content.text == details.pem)

            // An edit of the definition keeps the certificates.
            let edited = try await client.put("\(Client.publisher)/apis/\(apiID)", as: "chris", json: Self.mutualTLSAPI())
            #expect(edited.status == .ok, "\(edited.text)")
            #expect(try fixture.artifact("chris--Orders_v1.0.0.xml").contains(details.fingerprint))

            let changed = try await Self.upload(client, .put, "\(base)/orders", [("tier", "Unlimited")])
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(try fixture.artifact("chris--Orders_v1.0.0.xml").contains("sha256:\(details.fingerprint)=Unlimited"))

            let deleted = try await client.delete("\(base)/orders", as: "chris")
            #expect(deleted.status == .ok)
            #expect(try !fixture.artifact("chris--Orders_v1.0.0.xml").contains(details.fingerprint))
            #expect(try await client.get("\(base)/orders", as: "chris").status == .notFound)
            // The sandbox certificate is not reachable through the production-only resources.
            #expect(try await client.get("\(base)/billing", as: "chris").status == .notFound)
        }
    }

    @Test func badUploadsAreRefusedAndChangeNothing() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.publishedAPI(Self.mutualTLSAPI())
            let base = "\(Client.publisher)/apis/\(apiID)/client-certificates"
            let pem = Self.certificate.certificatePEM
            let first = try await Self.upload(client, .post, base, [("certificate", pem), ("alias", "orders"), ("tier", "Gold")])
            #expect(first.status == .ok, "\(first.text)")
            let before = try fixture.artifact("chris--Orders_v1.0.0.xml")

            let expired = try SelfSignedCertificate(
                hostNames: [], now: Date(timeIntervalSinceNow: -3 * 365 * 86_400), validity: 365 * 86_400
            )
            let twoCertificates = pem + Self.other.certificatePEM
            let refusals: [([(String, String)], HTTPResponse.Status, String)] = [
                ([("certificate", "not a certificate"), ("alias", "junk"), ("tier", "Gold")], .badRequest, "Invalid certificate"),
                ([("certificate", twoCertificates), ("alias", "two"), ("tier", "Gold")], .badRequest, "more than one"),
                ([("certificate", expired.certificatePEM), ("alias", "old"), ("tier", "Gold")], .badRequest, "expired"),
                ([("certificate", Self.other.certificatePEM), ("alias", "x"), ("tier", "Platinum")], .badRequest, "Platinum"),
                ([("certificate", Self.other.certificatePEM), ("alias", String(repeating: "a", count: 31)), ("tier", "Gold")],
                 .badRequest, "alias"),
                ([("certificate", Self.other.certificatePEM), ("tier", "Gold")], .badRequest, "alias"),
                ([("certificate", Self.other.certificatePEM), ("alias", "orders"), ("tier", "Gold")], .conflict, "already exists"),
                ([("certificate", pem), ("alias", "again"), ("tier", "Gold")], .conflict, "as 'orders'"),
            ]
            for (fields, status, reason) in refusals {
                let answer = try await Self.upload(client, .post, base, fields)
                #expect(answer.status == status, "\(fields.map(\.0)): \(answer.text)")
                #expect(answer.text.contains(reason), "\(answer.text)")
            }
            // A subscriber may not upload, and a JSON body is not a form.
            #expect(try await Self.upload(client, .post, base, [("certificate", pem), ("alias", "s"), ("tier", "Gold")], as: "alice").status == .forbidden)
            #expect(try await client.post(base, as: "chris", json: "{}").status == .badRequest)
            #expect(try await Self.upload(client, .post, "\(Client.publisher)/apis/\(apiID)/client-certs/TEST", []).status == .badRequest)
            #expect(try await client.get(base, as: "chris").object["count"] as? Int == 1)
            #expect(try fixture.artifact("chris--Orders_v1.0.0.xml") == before)
        }
    }
}
