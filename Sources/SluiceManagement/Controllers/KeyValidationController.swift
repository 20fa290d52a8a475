import Foundation
import Hummingbird
import Logging
import SluiceKeyManager
import SluiceModel

/// Internal endpoints for a gateway running apart from the key manager, protected by admin Basic auth:
/// `POST /internal/key-validation` (JSON ``KeyValidationRequest`` → ``KeyValidationResult``) and
/// `GET /internal/revocations?since=N` (token hashes revoked since generation N).
struct KeyValidationController: Sendable {
    let keyManager: KeyManager
    let adminAuthenticator: AdminAuthenticator
    let maximumBodySize: Int
    let logger: Logger

    /// The `/internal/revocations` answer.
    struct RevocationsResponse: Codable, Sendable {
        var generation: UInt64
        /// Lower-case hex SHA-256 of each revoked token.
        var tokenHashes: [String]
        /// False when older revocations were dropped: flush the whole cache.
        var complete: Bool
    }

    func addRoutes(to router: Router<some RequestContext>) {
        router.post("/internal/key-validation") { request, _ in
            try await authorized(request) {
                let buffer: ByteBuffer
                do {
                    buffer = try await request.body.collect(upTo: maximumBodySize)
                } catch {
                    return OAuth2Responses.json(["error": "request body too large"], status: .contentTooLarge)
                }
                let decoded = try? JSONDecoder().decode(KeyValidationRequest.self, from: Data(buffer: buffer))
                guard let validation = decoded else {
                    return OAuth2Responses.json(["error": "expected a JSON key validation request"], status: .badRequest)
                }
                let result: KeyValidationResult = keyManager.validationService.validate(validation)
                return OAuth2Responses.json(result)
            }
        }
        router.get("/internal/revocations") { request, _ in
            try await authorized(request) {
                let since = request.uri.queryParameters["since"].flatMap { UInt64(String($0)) } ?? 0
                let answer = keyManager.validationService.revocations(since: since)
                return OAuth2Responses.json(
                    RevocationsResponse(
                        generation: answer.generation,
                        tokenHashes: answer.tokenHashes.map { HexEncoding.encode($0) },
                        complete: answer.complete
                    )
                )
            }
        }
    }

    private func authorized(_ request: Request, _ body: () async throws -> Response) async throws -> Response {
        let admitted: Bool
        do {
            guard case .credentials(let credentials) = BasicCredentials.parse(request.headers, formEncoded: false)
            else { return Self.unauthorized() }
            admitted = try await adminAuthenticator.isAdmin(credentials)
        } catch let error as LoginThrottled {
            var response = OAuth2Responses.json(["error": error.description], status: .tooManyRequests)
            response.headers[.retryAfter] = String(error.retryAfter)
            return response
        }
        guard admitted else { return Self.unauthorized() }
        return try await body()
    }

    private static func unauthorized() -> Response {
        var response = OAuth2Responses.json(["error": "admin credentials required"], status: .unauthorized)
        response.headers[.wwwAuthenticate] = "Basic realm=\"\(OAuth2Responses.realm)\""
        return response
    }
}
