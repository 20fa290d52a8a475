public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
public import SluiceJWT
public import SluiceModel

/// A ``KeyValidator`` for a gateway running apart from the key manager: asks the management app's internal
/// endpoints (`POST /internal/key-validation`, `GET /internal/revocations?since=N`) with admin Basic
/// credentials. Put it behind a ``KeyValidationCache``, and feed the cache with ``RevocationFeedService``.
///
/// When the key manager cannot be reached or answers with an error, the answer is a refusal without a code,
/// which the authentication handler reports as WSO2's 900900 (Unclassified Authentication Failure).
public struct RemoteKeyValidator: KeyValidator {
    /// The revocations reported since a generation.
    public struct Revocations: Sendable, Hashable, Decodable {
        public var generation: UInt64
        /// Lower-case hex SHA-256 of each revoked token.
        public var tokenHashes: [String]
        /// False when older revocations were dropped: the cache must be flushed.
        public var complete: Bool
    }

    let baseURL: String
    private let authorization: String
    let client: HTTPClient
    let timeout: TimeAmount

    /// Creates a client of the key manager at `baseURL` (e.g. `http://km.internal:9763`).
    /// - Parameters:
    ///   - baseURL: The management app's address, without a trailing slash.
    ///   - username: An admin user.
    ///   - password: Its password (sent as Basic credentials; never logged).
    ///   - client: The HTTP client.
    ///   - timeout: Per-call deadline.
    public init(
        baseURL: String,
        username: String,
        password: String,
        client: HTTPClient = .shared,
        timeout: TimeAmount = .seconds(10)
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.authorization = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        self.client = client
        self.timeout = timeout
    }

    public func validate(_ request: KeyValidationRequest) async -> KeyValidationResult {
        do {
            var http = HTTPClientRequest(url: baseURL + "/internal/key-validation")
            http.method = .POST
            http.headers.add(name: "Authorization", value: authorization)
            http.headers.add(name: "Content-Type", value: "application/json")
            http.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(request)))
            let response = try await client.execute(http, timeout: timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else { return KeyValidationResult(authorized: false) }
            return try JSONDecoder().decode(KeyValidationResult.self, from: Data(body.readableBytesView))
        } catch {
            return KeyValidationResult(authorized: false)
        }
    }

    /// The tokens revoked after `generation`.
    /// - Throws: When the key manager cannot be reached or refuses the credentials.
    public func revocations(since generation: UInt64) async throws -> Revocations {
        var http = HTTPClientRequest(url: baseURL + "/internal/revocations?since=\(generation)")
        http.headers.add(name: "Authorization", value: authorization)
        let response = try await client.execute(http, timeout: timeout)
        let body = try await response.body.collect(upTo: 16 << 20)
        guard response.status == .ok else { throw RemoteKeyManagerError(status: Int(response.status.code)) }
        return try JSONDecoder().decode(Revocations.self, from: Data(body.readableBytesView))
    }
}

extension RemoteKeyValidator {
    /// The key manager's signing keys (`/oauth2/jwks`) and JWT issuer (its OpenID discovery document).
    /// - Returns: A verifier for the JWT access tokens the key manager issues.
    /// - Throws: When the key manager cannot be reached, answers with an error, or publishes a key jwt-kit cannot
    ///   read.
    public func accessTokenVerifier() async throws -> AccessTokenVerifier {
        struct Discovery: Decodable {
            var issuer: String
        }
        let discovery = try JSONDecoder().decode(
            Discovery.self,
            from: try await get("/oauth2/token/.well-known/openid-configuration")
        )
        let keys = try JSONDecoder().decode(JSONWebKeySet.self, from: try await get("/oauth2/jwks"))
        return try await AccessTokenVerifier(keySet: keys, issuer: discovery.issuer)
    }

    private func get(_ path: String) async throws -> Data {
        let response = try await client.execute(HTTPClientRequest(url: baseURL + path), timeout: timeout)
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw RemoteKeyManagerError(status: Int(response.status.code)) }
        return Data(body.readableBytesView)
    }
}

/// The key manager answered a revocation poll with an error status.
public struct RemoteKeyManagerError: Error, Sendable, Hashable {
    /// The HTTP status.
    public var status: Int
}
