import Crypto
import Foundation
import SluiceModel
import SluiceStorage

/// An authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3) as the authorization endpoint received it.
public struct AuthorizationRequest: Sendable, Hashable {
    /// `response_type`: only `code`.
    public var responseType: String?
    /// `client_id`.
    public var clientID: String?
    /// `redirect_uri`: when given, exactly the application's callback URL.
    public var redirectURI: String?
    /// `scope`, split at spaces.
    public var scopes: [String]?
    /// `state`, returned to the client untouched.
    public var state: String?
    /// `code_challenge` (RFC 7636).
    public var codeChallenge: String?
    /// `code_challenge_method`: only `S256`.
    public var codeChallengeMethod: String?

    /// Creates a request.
    public init(
        responseType: String?,
        clientID: String?,
        redirectURI: String? = nil,
        scopes: [String]? = nil,
        state: String? = nil,
        codeChallenge: String? = nil,
        codeChallengeMethod: String? = nil
    ) {
        self.responseType = responseType
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.state = state
        self.codeChallenge = codeChallenge
        self.codeChallengeMethod = codeChallengeMethod
    }
}

/// An authorization request that fails.
public struct AuthorizationError: Error, Sendable, Hashable {
    /// Where the error goes back to the client; nil when the client or its redirect URI cannot be trusted, so the
    /// error is shown to the user instead (RFC 6749 §4.1.2.1).
    public let redirectURI: String?
    /// The error.
    public let error: OAuth2Error

    /// Creates the error.
    public init(redirectURI: String?, error: OAuth2Error) {
        self.redirectURI = redirectURI
        self.error = error
    }
}

extension KeyManager {
    /// A code's lifetime: identity.xml's `AuthorizationCodeDefaultValidityPeriod`, at most RFC 6749 §4.1.2's ten
    /// minutes.
    var authorizationCodeValidity: Int64 { min(identity.authorizationCodeValidity, 600) }

    /// Checks an authorization request before the sign-in page is shown.
    /// - Parameter request: The request.
    /// - Returns: The redirect URI the code will go to: the application's callback URL.
    /// - Throws: ``AuthorizationError``; storage errors.
    public func checkAuthorization(_ request: AuthorizationRequest) async throws -> String {
        guard let clientID = request.clientID, let client = try await storage.consumerKey(clientID),
            client.state == "ACTIVE"
        else { throw AuthorizationError(redirectURI: nil, error: OAuth2Error(.invalidClient, "Unknown client_id")) }
        guard let callback = client.callbackURL, !callback.isEmpty else {
            throw AuthorizationError(
                redirectURI: nil,
                error: OAuth2Error(.invalidRequest, "The application has no callback URL for the authorization code grant")
            )
        }
        // Exact match, no prefix or pattern: an open redirector would leak the code.
        if let given = request.redirectURI, given != callback {
            throw AuthorizationError(
                redirectURI: nil,
                error: OAuth2Error(.invalidRequest, "redirect_uri is not the application's callback URL")
            )
        }
        func refuse(_ code: OAuth2Error.Code, _ description: String) -> AuthorizationError {
            AuthorizationError(redirectURI: callback, error: OAuth2Error(code, description))
        }
        guard request.responseType == "code" else {
            throw refuse(.unsupportedResponseType, "response_type must be code")
        }
        guard identity.supportedGrantTypes.contains("authorization_code"), client.grantTypes.contains("authorization_code")
        else { throw refuse(.unauthorizedClient, "The client may not use the authorization_code grant") }
        if let challenge = request.codeChallenge {
            guard request.codeChallengeMethod == "S256" else {
                throw refuse(.invalidRequest, "code_challenge_method must be S256")
            }
            // base64url of a SHA-256: 43 characters.
            guard challenge.utf8.count == 43, challenge.utf8.allSatisfy(Self.isBase64URL) else {
                throw refuse(.invalidRequest, "code_challenge is not a base64url SHA-256")
            }
        } else if request.codeChallengeMethod != nil {
            throw refuse(.invalidRequest, "code_challenge_method without code_challenge")
        }
        do {
            _ = try Self.checkedScopes(request.scopes)
        } catch let error as OAuth2Error {
            throw AuthorizationError(redirectURI: callback, error: error)
        }
        return callback
    }

    /// Signs the resource owner in and issues a code for the request.
    /// - Parameters:
    ///   - request: The authorization request (checked again).
    ///   - username: The resource owner.
    ///   - password: Their password.
    ///   - address: The browser's address, for the login throttle.
    /// - Returns: The redirect URI with `code` and `state`, or nil when the username or password is wrong.
    /// - Throws: ``AuthorizationError``, ``LoginThrottled``; storage errors.
    public func authorize(
        _ request: AuthorizationRequest,
        username: String,
        password: String,
        from address: String?
    ) async throws -> String? {
        let callback = try await checkAuthorization(request)
        guard let user = try await authenticateUser(username: username, password: password, from: address) else {
            return nil
        }
        let scopes = try await grantedScopes(try Self.checkedScopes(request.scopes), roles: user.roles)
        let grant = AuthorizationCodeStore.Grant(
            consumerKey: request.clientID ?? "",
            username: user.username,
            scopes: scopes,
            redirectURI: callback,
            redirectURIWasGiven: request.redirectURI != nil,
            codeChallenge: request.codeChallenge,
            expiresAt: now.addingTimeInterval(TimeInterval(authorizationCodeValidity))
        )
        guard let code = authorizationCodes.insert(grant, now: now) else {
            throw AuthorizationError(
                redirectURI: callback,
                error: OAuth2Error(.temporarilyUnavailable, "Too many authorization codes are pending")
            )
        }
        var parameters = [("code", code)]
        if let state = request.state { parameters.append(("state", state)) }
        return Self.redirect(callback, parameters)
    }

    /// `uri` with query parameters added (percent-encoded).
    public static func redirect(_ uri: String, _ parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let query = parameters.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }
        return uri + (uri.contains("?") ? "&" : "?") + query.joined(separator: "&")
    }

    /// Takes a code for a token request: single use, unexpired, issued to this client for this redirect URI, and
    /// the PKCE verifier matching the challenge.
    func redeem(
        _ code: String,
        client: ConsumerKeyRecord,
        redirectURI: String?,
        codeVerifier: String?
    ) throws -> AuthorizationCodeStore.Grant {
        let invalid = OAuth2Error.invalidGrant("The authorization code is invalid, expired or already used")
        guard let grant = authorizationCodes.take(code), grant.consumerKey == client.consumerKey,
            now < grant.expiresAt
        else { throw invalid }
        if grant.redirectURIWasGiven || redirectURI != nil {
            guard redirectURI == grant.redirectURI else {
                throw OAuth2Error.invalidGrant("redirect_uri differs from the authorization request's")
            }
        }
        switch (grant.codeChallenge, codeVerifier) {
        case (nil, nil):
            break
        case (let challenge?, let verifier?):
            // RFC 7636 §4.1: 43 to 128 unreserved characters.
            let valid = (43...128).contains(verifier.utf8.count) && verifier.utf8.allSatisfy(Self.isUnreserved)
            let computed = Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString()
            guard valid, SecretGenerator.constantTimeEquals(Data(computed.utf8), Data(challenge.utf8)) else {
                throw OAuth2Error.invalidGrant("code_verifier does not match the code_challenge")
            }
        case (nil, _?):
            throw OAuth2Error.invalidGrant("code_verifier given but the authorization request had no code_challenge")
        case (_?, nil):
            throw OAuth2Error.invalidGrant("code_verifier is missing")
        }
        return grant
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        isBase64URL(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "~")
    }
}
