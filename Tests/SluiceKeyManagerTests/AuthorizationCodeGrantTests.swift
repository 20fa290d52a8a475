import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceKeyManager
import SluiceManagement
import SluiceModel
import SluiceStorage
import Testing

/// The authorization-code grant with PKCE (RFC 6749 §4.1, RFC 7636): exact callback URL, single-use codes that
/// expire, S256 verifiers, errors sent back to the client only when its redirect URI can be trusted.
@Suite(.timeLimit(.minutes(1))) struct AuthorizationCodeGrantTests {
    static let callback = "https://app.example.com/callback"
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static var challenge: String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    struct Web {
        let fixture: KeyManagerFixture
        let credentials: ClientCredentials
    }

    /// The fixture with authorization_code enabled and a web application of alice's, subscribed to `/shop/1.0`.
    static func web(grantEnabled: Bool = true) async throws -> Web {
        var identity = KeyManagerFixture.identity
        if grantEnabled { identity.supportedGrantTypes.append("authorization_code") }
        let fixture = try await KeyManagerFixture(identity: identity)
        let application = try await fixture.keyManager.createApplication(name: "Web", owner: "alice")
        let keys = try await fixture.keyManager.generateKeys(
            applicationID: application.id, keyType: .production, grantTypes: ["authorization_code", "refresh_token"],
            callbackURL: callback
        )
        _ = try await fixture.keyManager.subscribe(
            applicationID: application.id, to: APIKey(context: "/shop", version: "1.0"), apiName: "Shop", tier: "Gold"
        )
        return Web(fixture: fixture, credentials: ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret))
    }

    static func request(_ web: Web, challenge: String? = Self.challenge, redirectURI: String? = callback)
        -> AuthorizationRequest
    {
        AuthorizationRequest(
            responseType: "code", clientID: web.credentials.consumerKey, redirectURI: redirectURI, state: "xyz",
            codeChallenge: challenge, codeChallengeMethod: challenge == nil ? nil : "S256"
        )
    }

    static func query(_ location: String) -> [String: String] {
        let items = URLComponents(string: location)?.queryItems ?? []
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    static func code(_ web: Web, _ request: AuthorizationRequest) async throws -> String {
        let location = try #require(
            try await web.fixture.keyManager.authorize(request, username: "alice", password: "alice-pass", from: nil)
        )
        #expect(location.hasPrefix(callback + "?code="))
        #expect(query(location)["state"] == "xyz")
        return try #require(query(location)["code"])
    }

    static func exchange(_ web: Web, _ code: String, verifier: String? = Self.verifier, redirectURI: String? = callback)
        async throws -> TokenResponse
    {
        try await web.fixture.keyManager.token(
            for: TokenRequest(grant: .authorizationCode(code: code, redirectURI: redirectURI, codeVerifier: verifier)),
            credentials: web.credentials
        )
    }

    static func invalidGrant(_ body: () async throws -> TokenResponse) async {
        await #expect {
            _ = try await body()
        } throws: { ($0 as? OAuth2Error)?.code == .invalidGrant }
    }

    @Test func aCodeWithItsVerifierGivesAUserTokenOnce() async throws {
        let web = try await Self.web()
        let code = try await Self.code(web, Self.request(web))
        let token = try await Self.exchange(web, code)
        #expect(token.refreshToken != nil)
        let answer = web.fixture.validate(token.accessToken)
        #expect(answer.authorized)
        #expect(answer.endUser == "alice")
        #expect(answer.userType == .applicationUser)
        // Single use: the same code again is refused.
        await Self.invalidGrant { try await Self.exchange(web, code) }
    }

    @Test func aWrongOrMissingVerifierSpendsTheCode() async throws {
        let web = try await Self.web()
        let wrong = try await Self.code(web, Self.request(web))
        await Self.invalidGrant { try await Self.exchange(web, wrong, verifier: String(repeating: "a", count: 43)) }
        await Self.invalidGrant { try await Self.exchange(web, wrong) }
        let missing = try await Self.code(web, Self.request(web))
        await Self.invalidGrant { try await Self.exchange(web, missing, verifier: nil) }
        // Without a challenge no verifier is expected, and one sent anyway is refused.
        let plain = try await Self.code(web, Self.request(web, challenge: nil))
        await Self.invalidGrant { try await Self.exchange(web, plain) }
        let plainAgain = try await Self.code(web, Self.request(web, challenge: nil))
        #expect(try await Self.exchange(web, plainAgain, verifier: nil).refreshToken != nil)
    }

    @Test func codesExpireAndBelongToTheirClientAndRedirectURI() async throws {
        let web = try await Self.web()
        let late = try await Self.code(web, Self.request(web))
        web.fixture.clock.advance(by: 301)
        await Self.invalidGrant { try await Self.exchange(web, late) }

        let other = try await Self.code(web, Self.request(web))
        await #expect {
            _ = try await web.fixture.keyManager.token(
                for: TokenRequest(grant: .authorizationCode(code: other, redirectURI: Self.callback, codeVerifier: Self.verifier)),
                credentials: web.fixture.productionCredentials
            )
        } throws: { ($0 as? OAuth2Error)?.code == .unauthorizedClient }

        let named = try await Self.code(web, Self.request(web))
        await Self.invalidGrant { try await Self.exchange(web, named, redirectURI: nil) }
        let elsewhere = try await Self.code(web, Self.request(web))
        await Self.invalidGrant { try await Self.exchange(web, elsewhere, redirectURI: Self.callback + "/x") }
    }

    @Test func requestsThatCannotBeTrustedAreShownAndOthersGoBackToTheClient() async throws {
        let web = try await Self.web()
        let keyManager = web.fixture.keyManager
        func failure(_ request: AuthorizationRequest) async -> AuthorizationError? {
            do {
                _ = try await keyManager.checkAuthorization(request)
                return nil
            } catch {
                return error as? AuthorizationError
            }
        }
        var request = Self.request(web)
        request.redirectURI = "https://evil.example.com/callback"
        #expect(await failure(request)?.redirectURI == nil)
        request.redirectURI = Self.callback + "/more"
        #expect(await failure(request)?.redirectURI == nil)
        request = Self.request(web)
        request.clientID = "unknown"
        #expect(await failure(request)?.redirectURI == nil)
        // The fixture's own client has no callback URL.
        request.clientID = web.fixture.production.consumerKey
        #expect(await failure(request)?.error.code == .invalidRequest)

        request = Self.request(web)
        request.responseType = "token"
        #expect(await failure(request) == AuthorizationError(
            redirectURI: Self.callback, error: OAuth2Error(.unsupportedResponseType, "response_type must be code")
        ))
        request = Self.request(web)
        request.codeChallengeMethod = "plain"
        #expect(await failure(request)?.error.code == .invalidRequest)
        request = Self.request(web, challenge: "short")
        #expect(await failure(request)?.error.code == .invalidRequest)
        #expect(try await keyManager.checkAuthorization(Self.request(web, redirectURI: nil)) == Self.callback)

        #expect(try await keyManager.authorize(Self.request(web), username: "alice", password: "nope", from: nil) == nil)

        let disabled = try await Self.web(grantEnabled: false)
        let refusal = await {
            do {
                _ = try await disabled.fixture.keyManager.checkAuthorization(Self.request(disabled))
                return nil
            } catch {
                return error as? AuthorizationError
            }
        }() as AuthorizationError?
        #expect(refusal?.error.code == .unauthorizedClient)
        #expect(refusal?.redirectURI == Self.callback)
    }

    @Test func theBrowserFlowThroughTheManagementApp() async throws {
        let web = try await Self.web()
        let app = buildManagementApplication(keyManager: web.fixture.keyManager)
        let client = web.credentials.consumerKey
        let query = "response_type=code&client_id=\(client)&redirect_uri=\(Self.callback)&state=s%3C1&scope=default"
            + "&code_challenge=\(Self.challenge)&code_challenge_method=S256"
        try await app.test(.router) { http in
            let page = try await http.execute(uri: "/oauth2/authorize?" + query, method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            let html = String(buffer: page.body)
            #expect(html.contains(#"name="state" value="s&lt;1""#))
            #expect(!html.contains("s<1"))

            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let wrong = try await http.execute(
                uri: "/oauth2/authorize", method: .post, headers: form,
                body: ByteBuffer(string: query + "&username=alice&password=nope")
            )
            #expect(wrong.status == .ok)
            #expect(String(buffer: wrong.body).contains("Wrong username or password"))

            let approved = try await http.execute(
                uri: "/oauth2/authorize", method: .post, headers: form,
                body: ByteBuffer(string: query + "&username=alice&password=alice-pass")
            )
            #expect(approved.status == .found)
            let location = try #require(approved.headers[.location])
            #expect(Self.query(location)["state"] == "s<1")
            let code = try #require(Self.query(location)["code"])

            let basic = "Basic " + Data("\(client):\(web.credentials.consumerSecret)".utf8).base64EncodedString()
            let token = try await http.execute(
                uri: "/oauth2/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .authorization: basic],
                body: ByteBuffer(
                    string: "grant_type=authorization_code&code=\(code)&redirect_uri=\(Self.callback)&code_verifier=\(Self.verifier)"
                )
            )
            #expect(token.status == .ok)
            #expect(String(buffer: token.body).contains("access_token"))

            let denied = try await http.execute(
                uri: "/oauth2/authorize", method: .post, headers: form, body: ByteBuffer(string: query + "&deny=1")
            )
            #expect(denied.status == .found)
            #expect(Self.query(try #require(denied.headers[.location]))["error"] == "access_denied")

            let foreign = try await http.execute(
                uri: "/oauth2/authorize?response_type=code&client_id=\(client)&redirect_uri=https://evil.example.com/",
                method: .get
            )
            #expect(foreign.status == .badRequest)
            #expect(foreign.headers[.location] == nil)
        }
    }
}
