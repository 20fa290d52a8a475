import Foundation
import SluiceTesting
import Testing

/// WSO2's `POST /apis/validate-endpoint`: a real probe of the backend (a local one here), its status and reason;
/// statusCode -1 with the reason for a malformed URL or a port nothing listens on; scopes and apiId checked.
@Suite(.timeLimit(.minutes(1))) struct EndpointValidationTests {
    static func validate(_ url: String, apiID: String? = nil) -> String {
        let encoded = url.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? url
        return "\(Client.publisher)/apis/validate-endpoint?endpointUrl=\(encoded)" + (apiID.map { "&apiId=\($0)" } ?? "")
    }

    @Test func aBackendIsAskedAndItsAnswerReported() async throws {
        let backend = try await TestHTTPBackend.start(name: "probe")
        defer { backend.shutdownInBackground() }
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let up = try await client.post(Self.validate(backend.baseURL + "/menu"), as: "chris")
            #expect(up.status == .ok, "\(up.text)")
            #expect(try up.object["statusCode"] as? Int == 200)
            #expect(try up.object["statusMessage"] as? String == "OK")
            #expect(backend.recordedRequests.last?.method == "HEAD")
            let missing = try await client.post(Self.validate(backend.baseURL + "/status/404"), as: "chris")
            #expect(try missing.object["statusCode"] as? Int == 404)

            let malformed = try await client.post(Self.validate("ftp://example.com/x"), as: "chris")
            #expect(try malformed.object["statusCode"] as? Int == -1)
            #expect(try (malformed.object["error"] as? String)?.contains("Malformed") == true)
            // A port nothing listens on (the backend's, once it is gone).
            let closed = try await TestHTTPBackend.start(name: "gone")
            let goneURL = closed.baseURL + "/menu"
            try await closed.shutdown()
            let refused = try await client.post(Self.validate(goneURL), as: "chris")
            #expect(try refused.object["statusCode"] as? Int == -1)
            #expect(try (refused.object["error"] as? String)?.contains("cannot be reached") == true)

            #expect(try await client.post(Self.validate(backend.baseURL), as: "alice").status == .forbidden)
            #expect(try await client.post(Self.validate(backend.baseURL, apiID: UUID().uuidString), as: "chris").status == .notFound)
            #expect(try await client.post("\(Client.publisher)/apis/validate-endpoint", as: "chris").status == .badRequest)
        }
    }
}
