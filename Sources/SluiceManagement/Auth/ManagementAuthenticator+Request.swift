import Foundation
import Hummingbird
import SluiceControlPlane

/// The `Authorization` header of a management request: `Basic` or `Bearer`.
extension ManagementAuthenticator {
    /// The caller of `request`.
    /// - Throws: ``ManagementError`` 401 when credentials are missing, malformed or wrong.
    func principal(for request: Request) async throws -> Principal {
        let values = request.headers[values: .authorization]
        guard let header = values.first else {
            throw ManagementError.unauthenticated("Authentication is required: HTTP Basic or a bearer token")
        }
        guard values.count == 1 else {
            throw ManagementError.unauthenticated("Only one Authorization header is allowed")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { throw ManagementError.unauthenticated("The Authorization header is malformed") }
        switch parts[0].lowercased() {
        case "basic":
            guard case .credentials(let credentials) = BasicCredentials.parse(request.headers, formEncoded: false)
            else {
                throw ManagementError.unauthenticated("The Basic credentials are malformed")
            }
            return try await principal(username: credentials.username, password: credentials.password)
        case "bearer":
            return try await principal(bearerToken: String(parts[1]).trimmingCharacters(in: .whitespaces))
        default:
            throw ManagementError.unauthenticated("Unsupported authentication scheme; use Basic or Bearer")
        }
    }

    /// The caller of `request`, or nil for an anonymous request (no Authorization header).
    /// - Throws: ``ManagementError`` 401 when credentials are present but wrong.
    func optionalPrincipal(for request: Request) async throws -> Principal? {
        guard request.headers[.authorization] != nil else { return nil }
        return try await principal(for: request)
    }
}
