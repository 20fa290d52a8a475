import Foundation
import Hummingbird
import SluiceControlPlane
import Logging
import SluiceJWT
import SluiceKeyManager

/// `/oauth2/token`, `/oauth2/revoke` and `/oauth2/introspect` (RFC 6749, 7009, 7662).
///
/// Every malformed request gets an RFC 6749 §5.2 error, never a 500: wrong content type, oversized or
/// undecodable bodies, repeated parameters, missing fields and unreadable Basic headers included.
struct OAuth2Controller: Sendable {
    let keyManager: KeyManager
    let adminAuthenticator: AdminAuthenticator
    let maximumBodySize: Int
    let logger: Logger

    func addRoutes(to router: Router<some RequestContext>) {
        router.post("/oauth2/token") { request, _ in await respond { try await token(request) } }
        router.post("/oauth2/revoke") { request, _ in await respond { try await revoke(request) } }
        router.post("/oauth2/introspect") { request, _ in await respond { try await introspect(request) } }
        router.get("/oauth2/authorize") { request, _ in await authorizationPage(request) }
        router.post("/oauth2/authorize") { request, _ in await authorizationDecision(request) }
        router.get("/oauth2/jwks") { _, _ in jwks() }
        router.get("/oauth2/token/.well-known/openid-configuration") { _, _ in
            OAuth2Responses.json(keyManager.openIDConfiguration)
        }
    }

    /// The public signing keys (RFC 7517); an empty set when the key manager signs nothing.
    private func jwks() -> Response {
        let keys = keyManager.configuration.tokenSigner?.keySet ?? JSONWebKeySet(keys: [])
        return OAuth2Responses.json(keys)
    }

    // MARK: - Endpoints

    private func token(_ request: Request) async throws -> Response {
        let form = try await formParameters(request)
        let credentials = try clientCredentials(request, form)
        guard let grantType = form["grant_type"] else { throw OAuth2Error(.invalidRequest, "grant_type is missing") }
        let grant: TokenRequest.Grant
        switch grantType {
        case "password":
            grant = .password(username: try required("username", form), password: try required("password", form))
        case "client_credentials":
            grant = .clientCredentials
        case "refresh_token":
            grant = .refreshToken(try required("refresh_token", form))
        case "authorization_code":
            grant = .authorizationCode(
                code: try required("code", form),
                redirectURI: form["redirect_uri"],
                codeVerifier: form["code_verifier"]
            )
        default:
            throw OAuth2Error(.unsupportedGrantType, "The grant type \(grantType) is not supported")
        }
        var validityPeriod: Int64?
        if let text = form["validity_period"] {
            guard let value = Int64(text) else {
                throw OAuth2Error(.invalidRequest, "validity_period must be a number of seconds")
            }
            validityPeriod = value
        }
        let scopes = form["scope"].map { $0.split(separator: " ").map(String.init) }
        let response = try await keyManager.token(
            for: TokenRequest(
                grant: grant,
                scopes: scopes,
                validityPeriod: validityPeriod,
                clientAddress: ClientAddress.current
            ),
            credentials: credentials
        )
        return OAuth2Responses.json(response)
    }

    private func revoke(_ request: Request) async throws -> Response {
        let form = try await formParameters(request)
        let credentials = try clientCredentials(request, form)
        let token = try required("token", form)
        try await keyManager.revoke(
            token: token,
            tokenTypeHint: form["token_type_hint"],
            credentials: credentials,
            from: ClientAddress.current
        )
        return OAuth2Responses.empty()
    }

    /// Accepts client credentials, or the Basic credentials of an admin user (as WSO2's introspection does). A
    /// client learns only about its own tokens; an administrator about any.
    private func introspect(_ request: Request) async throws -> Response {
        let form = try await formParameters(request)
        let token = try required("token", form)
        var client: String?
        if case .credentials(let basic) = BasicCredentials.parse(request.headers, formEncoded: false),
            form["client_id"] == nil, try await keyManager.storage.consumerKey(basic.username) == nil
        {
            // Not a client: the Basic credentials of a user, who must be an administrator.
            guard try await adminAuthenticator.isAdmin(basic) else {
                throw OAuth2Error(.invalidClient, "Client authentication failed")
            }
        } else {
            let credentials = try clientCredentials(request, form)
            client = try await keyManager.authenticateClient(credentials, from: ClientAddress.current).consumerKey
        }
        let answer = try await keyManager.introspect(token: token, tokenTypeHint: form["token_type_hint"], forClient: client)
        return OAuth2Responses.json(answer)
    }

    // MARK: - Request reading

    private func respond(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as OAuth2Error {
            return OAuth2Responses.error(error)
        } catch let error as LoginThrottled {
            var response = OAuth2Responses.error(OAuth2Error(.temporarilyUnavailable, error.description))
            response.headers[.retryAfter] = String(error.retryAfter)
            return response
        } catch let error as BodyTooLarge {
            return OAuth2Responses.error(
                OAuth2Error(.invalidRequest, "The request body exceeds \(error.limit) bytes"),
                status: .contentTooLarge
            )
        } catch {
            logger.error("OAuth2 request failed", metadata: ["sluice.error": "\(String(describing: type(of: error)))"])
            return OAuth2Responses.error(OAuth2Error(.serverError, "The server could not complete the request"))
        }
    }

    private struct BodyTooLarge: Error {
        let limit: Int
    }

    func formParameters(_ request: Request) async throws -> FormParameters {
        let contentType = request.headers[.contentType] ?? ""
        let mediaType = contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/x-www-form-urlencoded" else {
            throw OAuth2Error(.invalidRequest, "The content type must be application/x-www-form-urlencoded")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodySize)
        } catch {
            throw BodyTooLarge(limit: maximumBodySize)
        }
        guard let body = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes) else {
            throw OAuth2Error(.invalidRequest, "The body is not UTF-8")
        }
        do {
            return try FormParameters(body: body)
        } catch .duplicated(let name) {
            throw OAuth2Error(.invalidRequest, "The parameter \(name) is repeated")
        } catch {
            throw OAuth2Error(.invalidRequest, "The body is not valid form encoding")
        }
    }

    /// Client credentials from HTTP Basic or the body; using both, or neither, is an error (RFC 6749 §2.3).
    private func clientCredentials(_ request: Request, _ form: FormParameters) throws -> ClientCredentials {
        let inBody = form["client_id"].map {
            ClientCredentials(consumerKey: $0, consumerSecret: form["client_secret"] ?? "")
        }
        switch BasicCredentials.parse(request.headers, formEncoded: true) {
        case .credentials(let basic):
            guard inBody == nil else {
                throw OAuth2Error(.invalidRequest, "Use one client authentication method, not two")
            }
            return ClientCredentials(consumerKey: basic.username, consumerSecret: basic.password)
        case .malformed:
            throw OAuth2Error(.invalidClient, "The Authorization header is malformed")
        case .absent:
            guard let inBody, form["client_secret"] != nil else {
                throw OAuth2Error(.invalidClient, "Client authentication is missing")
            }
            return inBody
        }
    }

    private func required(_ name: String, _ form: FormParameters) throws -> String {
        guard let value = form[name] else { throw OAuth2Error(.invalidRequest, "\(name) is missing") }
        return value
    }
}
