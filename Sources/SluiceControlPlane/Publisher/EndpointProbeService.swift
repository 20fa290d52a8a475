import AsyncHTTPClient
import Foundation
import NIOCore

/// WSO2's `POST /publisher/v4/apis/validate-endpoint?endpointUrl=[&apiId=]`: whether a backend answers, told by
/// really asking it. A `HEAD` (a `GET` whose body is not read when the backend refuses `HEAD`), no redirects
/// followed, within ``timeout``; the answer is WSO2's `ApiEndpointValidationResponse`: the backend's status code and
/// reason, or `statusCode: -1` with the reason it could not be reached (malformed URL, refused, timed out, TLS).
package struct EndpointProbeService: Sendable {
    let services: APIManagerServices
    /// How long a probe may take, connecting included.
    let timeout: TimeAmount

    /// Creates the service.
    package init(services: APIManagerServices, timeout: TimeAmount = .seconds(5)) {
        self.services = services
        self.timeout = timeout
    }

    /// The scopes WSO2's operation takes (any one of them).
    package static let scopes = ["apim:api_create", "apim:api_manage"]

    /// What a probe found.
    package struct Outcome: Sendable, Hashable, Codable {
        package var statusCode: Int
        package var statusMessage: String
        package var error: String?
    }

    /// Probes `endpointURL`.
    /// - Throws: ``ManagementError`` 403, 404 for an `apiId` that names no API.
    package func probe(_ endpointURL: String, apiID: String?, by principal: Principal) async throws -> Outcome {
        try principal.requireAny(Self.scopes)
        if let apiID, !apiID.isEmpty { _ = try await PublisherSupport.api(apiID, services) }
        guard let url = URL(string: endpointURL), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            return Outcome(statusCode: -1, statusMessage: "", error: "Invalid/Malformed URL: \(endpointURL)")
        }
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: timeout, read: timeout)
            )
        )
        let outcome: Outcome
        do {
            outcome = try await ask(client, endpointURL)
        } catch {
            outcome = Outcome(statusCode: -1, statusMessage: "", error: Self.describe(error))
        }
        try? await client.shutdown()
        return outcome
    }

    private func ask(_ client: HTTPClient, _ url: String) async throws -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.method = .HEAD
        var response = try await client.execute(request, timeout: timeout)
        if response.status == .methodNotAllowed || response.status == .notImplemented {
            request.method = .GET
            response = try await client.execute(request, timeout: timeout)
        }
        return Outcome(statusCode: Int(response.status.code), statusMessage: response.status.reasonPhrase, error: nil)
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .readTimeout, .deadlineExceeded: return "The endpoint did not answer in time"
            default: return "The endpoint cannot be reached: \(error)"
            }
        }
        return "The endpoint cannot be reached: \(error)"
    }
}
