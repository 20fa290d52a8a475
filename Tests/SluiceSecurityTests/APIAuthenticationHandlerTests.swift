import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing

@testable import SluiceSecurity

/// The handler's decisions against a key manager answering through the `.immediate` source.
@Suite struct APIAuthenticationHandlerTests {
    static let resource = DispatchedResource(
        apiName: "admin--PizzaShackAPI", context: "/pizzashack/1.0.0", version: "1.0.0", resourceTemplate: "/menu",
        methods: ["GET"], scopes: []
    )

    static func authorized(scopes: [String] = [], keyType: KeyType = .production) -> KeyValidationResult {
        KeyValidationResult(
            authorized: true, applicationID: "app-1", applicationName: "Shop", applicationTier: "Large",
            subscriber: "alice", consumerKey: "ck-1", keyType: keyType, endUser: "bob", subscriptionTier: "Gold",
            scopes: scopes, validUntil: nil
        )
    }

    static func handler(
        answer: @escaping @Sendable (KeyValidationRequest) -> KeyValidationResult,
        statuses: APIStatusRegistry? = nil,
        configuration: APIAuthenticationHandler.Configuration = .init()
    ) -> APIAuthenticationHandler {
        APIAuthenticationHandler(
            configuration: configuration, source: .immediate(answer), statuses: statuses, clock: EpochClock { 1_000 }
        )
    }

    static func request(_ headers: HTTPHeaders) -> MessageContext {
        MessageContext(method: "GET", requestPath: "/pizzashack/1.0.0/menu", headers: headers)
    }

    static func body(_ context: MessageContext) -> String {
        guard case .buffered(let buffer) = context.body else { return "" }
        return String(buffer: buffer)
    }

    @Test func validTokenProceedsWithWSO2PropertiesAndNoAuthorizationHeader() {
        let handler = Self.handler { request in
            #expect(request.accessToken == "tok-123")
            #expect(request.apiContext == "/pizzashack/1.0.0")
            #expect(request.apiVersion == "1.0.0")
            return Self.authorized(keyType: .sandbox)
        }
        var context = Self.request(["Authorization": "Bearer tok-123", "User-Agent": "curl/8", "X-Forwarded-For": "10.9.9.9"])
        // What the gateway established (the peer, or a trusted proxy's X-Forwarded-For); the header itself is not read.
        context.clientAddress = "10.1.2.3"
        guard case .proceed = handler.handleRequest(&context, resource: Self.resource) else {
            Issue.record("a valid token must pass")
            return
        }
        #expect(context.headers.first(name: "Authorization") == nil)
        #expect(context[property: "AM_KEY_TYPE"] == "SANDBOX")
        #expect(context[property: "api.ut.consumerKey"] == "ck-1")
        #expect(context[property: "api.ut.application.id"] == "app-1")
        #expect(context[property: "api.ut.application.name"] == "Shop")
        #expect(context[property: "api.ut.userId"] == "bob")
        #expect(context[property: "api.ut.tier"] == "Gold")
        #expect(context[property: "api.ut.application.tier"] == "Large")
        #expect(context[property: "api.ut.api_version"] == "admin--PizzaShackAPI:v1.0.0")
        #expect(context[property: "api.ut.apiPublisher"] == "admin")
        #expect(context[property: "api.ut.resource"] == "/menu")
        #expect(context[property: "api.ut.clientIp"] == "10.1.2.3")
        #expect(context[property: "api.ut.requestTime"] == .integer(1_000))
    }

    @Test func headerRemovalCanBeTurnedOffAndTheHeaderNameConfigured() throws {
        let configuration = try APIAuthenticationHandler.Configuration(
            spec: GatewayHandlerSpec(
                className: APIAuthenticationHandler.classNames[0],
                properties: [
                    .init(name: "AuthorizationHeader", value: "X-Token"),
                    .init(name: "RemoveOAuthHeadersFromOutMessage", value: "false"),
                ]
            )
        )
        let handler = Self.handler(answer: { _ in Self.authorized() }, configuration: configuration)
        var context = Self.request(["X-Token": "bearer abc", "Authorization": "Basic xyz"])
        guard case .proceed = handler.handleRequest(&context, resource: Self.resource) else {
            Issue.record("token in the configured header must pass")
            return
        }
        #expect(context.headers.first(name: "X-Token") == "bearer abc")
        var missing = Self.request(["Authorization": "Bearer abc"])
        _ = handler.handleRequest(&missing, resource: Self.resource)
        #expect(missing.statusCode == 401)
        #expect(Self.body(missing).contains("X-Token : Bearer ACCESS_TOKEN"))
    }

    @Test(arguments: [
        (KeyValidationResult.ErrorCode.invalidCredentials, 900901, 401),
        (.accessTokenExpired, 900903, 401),
        (.accessTokenInactive, 900904, 401),
        (.resourceForbidden, 900908, 403),
        (.subscriptionInactive, 900909, 401),
        (.invalidScope, 900910, 403),
    ])
    func keyManagerRefusalsAnswerWithWSO2Codes(code: KeyValidationResult.ErrorCode, wso2: Int, status: Int) {
        let handler = Self.handler { _ in .denied(code) }
        var context = Self.request(["Authorization": "Bearer t", "Accept": "application/json"])
        guard case .respond = handler.handleRequest(&context, resource: Self.resource) else {
            Issue.record("a refused token must be answered")
            return
        }
        #expect(context.statusCode == status)
        #expect(Self.body(context).hasPrefix("{\"fault\":{\"code\":\(wso2),\"message\":\"\(code.message)\""))
        #expect(context.headers.first(name: "Content-Type") == "application/json; charset=UTF-8")
        #expect((context.headers.first(name: "WWW-Authenticate") != nil) == (status == 401))
        #expect(context[property: "ERROR_CODE"] == .integer(wso2))
    }

    @Test func missingTokenIs900902InXMLWithTheChallenge() {
        let handler = Self.handler { _ in Self.authorized() }
        for headers: HTTPHeaders in [[:], ["Authorization": "Basic dXNlcjpwYXNz"], ["Authorization": "Bearer "]] {
            var context = Self.request(headers)
            _ = handler.handleRequest(&context, resource: Self.resource)
            #expect(context.statusCode == 401)
            #expect(
                context.headers.first(name: "WWW-Authenticate")
                    == #"OAuth2 realm="WSO2 API Manager", error="invalid_token", error_description="The provided token is invalid""#
            )
            #expect(
                Self.body(context)
                    == #"<ams:fault xmlns:ams="http://wso2.org/apimanager/security"><ams:code>900902</ams:code>"#
                    + "<ams:message>Missing Credentials</ams:message><ams:description>Missing Credentials. Make sure "
                    + "your API invocation call has a header: &quot;Authorization : Bearer ACCESS_TOKEN&quot;"
                    + "</ams:description></ams:fault>"
            )
        }
    }

    @Test func scopesOfTheResourceAreEnforced() {
        let scoped = DispatchedResource(
            apiName: "admin--PizzaShackAPI", context: "/pizzashack/1.0.0", version: "1.0.0", resourceTemplate: "/order",
            methods: ["POST"], scopes: ["order:write", "admin"]
        )
        var denied = Self.request(["Authorization": "Bearer t"])
        _ = Self.handler { _ in Self.authorized(scopes: ["default"]) }.handleRequest(&denied, resource: scoped)
        #expect(denied.statusCode == 403)
        #expect(Self.body(denied).contains("<ams:code>900910</ams:code>"))
        #expect(Self.body(denied).contains("User is NOT authorized to access the Resource: /order. Scope validation failed."))
        var allowed = Self.request(["Authorization": "Bearer t"])
        let decision = Self.handler { _ in Self.authorized(scopes: ["default", "admin"]) }.handleRequest(&allowed, resource: scoped)
        guard case .proceed = decision else {
            Issue.record("a token with one of the scopes must pass")
            return
        }
    }

    @Test func authNoneResourcesPassWithoutAToken() {
        let open = DispatchedResource(
            apiName: "admin--PizzaShackAPI", context: "/pizzashack/1.0.0", version: "1.0.0", resourceTemplate: "/menu",
            authType: .none
        )
        let handler = Self.handler { _ in
            Issue.record("no key validation for auth-None resources")
            return .denied(.invalidCredentials)
        }
        var context = Self.request([:])
        context.clientAddress = "192.0.2.7"
        guard case .proceed = handler.handleRequest(&context, resource: open) else {
            Issue.record("auth-None must pass")
            return
        }
        #expect(context[property: "api.ut.userId"] == "anonymous")
        #expect(context[property: "AM_KEY_TYPE"] == "PRODUCTION")
        #expect(context[property: "api.ut.tier"] == "Unauthenticated")
        #expect(context[property: "api.ut.clientIp"] == "192.0.2.7")
    }

    @Test func blockedAPIIs900907AndUnmatchedIs900906() {
        let statuses = APIStatusRegistry()
        statuses.setState(.blocked, context: "/pizzashack", version: "1.0.0")
        var blocked = Self.request(["Authorization": "Bearer t"])
        _ = Self.handler(answer: { _ in Self.authorized() }, statuses: statuses).handleRequest(&blocked, resource: Self.resource)
        #expect(blocked.statusCode == 401)
        #expect(Self.body(blocked).contains("<ams:code>900907</ams:code>"))
        statuses.setState(.published, context: "/pizzashack/1.0.0", version: "1.0.0")
        var published = Self.request(["Authorization": "Bearer t"])
        _ = Self.handler(answer: { _ in Self.authorized() }, statuses: statuses).handleRequest(&published, resource: Self.resource)
        #expect(published.statusCode == nil)
        var unmatched = Self.request(["Authorization": "Bearer t"])
        _ = Self.handler { _ in Self.authorized() }.handleRequest(&unmatched, resource: nil)
        #expect(unmatched.statusCode == 403)
        #expect(Self.body(unmatched).contains("<ams:code>900906</ams:code>"))
    }

    /// WSO2's `APIKeyValidator.findMatchingVerb` looks for a resource listing the request's method, so an OPTIONS
    /// call that no CORS handler answered finds none (900906, even with a valid token) unless the resource lists
    /// OPTIONS.
    @Test func optionsToAResourceWithoutOptionsIs900906() {
        var options = MessageContext(method: "OPTIONS", requestPath: "/pizzashack/1.0.0/menu", headers: ["Authorization": "Bearer t"])
        _ = Self.handler { _ in Self.authorized() }.handleRequest(&options, resource: Self.resource)
        #expect(options.statusCode == 403)
        #expect(Self.body(options).contains("<ams:code>900906</ams:code>"))
        let listsOptions = DispatchedResource(
            apiName: "admin--PizzaShackAPI", context: "/pizzashack/1.0.0", version: "1.0.0", resourceTemplate: "/menu",
            methods: ["GET", "OPTIONS"]
        )
        var listed = MessageContext(method: "OPTIONS", requestPath: "/pizzashack/1.0.0/menu", headers: ["Authorization": "Bearer t"])
        guard case .proceed = Self.handler(answer: { _ in Self.authorized() }).handleRequest(&listed, resource: listsOptions) else {
            Issue.record("a resource listing OPTIONS authenticates it as any method")
            return
        }
    }

    @Test func bearerParsing() {
        #expect(APIAuthenticationHandler.bearerToken("Bearer abc") == "abc")
        #expect(APIAuthenticationHandler.bearerToken("bearer   abc") == "abc")
        #expect(APIAuthenticationHandler.bearerToken("BEARER abc extra") == "abc")
        #expect(APIAuthenticationHandler.bearerToken("Bearerabc") == nil)
        #expect(APIAuthenticationHandler.bearerToken("Basic abc") == nil)
        #expect(APIAuthenticationHandler.bearerToken("Bearer") == nil)
        #expect(APIAuthenticationHandler.bearerToken("  Bearer abc") == "abc", "leading spaces")
        #expect(APIAuthenticationHandler.bearerToken("Bearer    ") == nil, "only spaces after the scheme")
        #expect(APIAuthenticationHandler.bearerToken("Bearer\tabc") == nil, "the scheme ends with a space")
        #expect(APIAuthenticationHandler.bearerToken("Béarer abc") == nil)
        #expect(APIAuthenticationHandler.bearerToken("Bearer tøken extra") == "tøken", "non-ASCII bytes are kept whole")
        let jwt = "eyJhbGciOiJSUzI1NiJ9." + String(repeating: "eyJzdWIiOiJhZG1pbiJ9", count: 60) + ".c2lnbmF0dXJl"
        #expect(APIAuthenticationHandler.bearerToken("Bearer " + jwt) == jwt)
    }

    @Test func unclassifiedFailureIs500WithoutChallenge() {
        var context = Self.request(["Accept": "application/xml"])
        AuthenticationFailure.unclassified.apply(to: &context)
        #expect(context.statusCode == 500)
        #expect(context.headers.first(name: "WWW-Authenticate") == nil)
        #expect(Self.body(context).contains("<ams:code>900900</ams:code>"))
        #expect(AuthenticationFailure.incorrectAccessTokenType.httpStatus == 401)
    }
}

/// 900905 decisions for each auth type and token kind.
@Suite struct AccessTokenTypeTests {
    @Test(arguments: [
        (ResourceAuthType.application, AccessTokenUserType?.some(.application), true),
        (.application, .applicationUser, false),
        (.applicationUser, .applicationUser, true),
        (.applicationUser, .application, false),
        (.any, .application, true),
        (.any, .applicationUser, true),
        (.application, nil, true),
    ])
    func authTypeAdmitsTokenKind(authType: ResourceAuthType, userType: AccessTokenUserType?, admitted: Bool) {
        #expect(APIAuthenticationHandler.admits(userType, authType: authType) == admitted)
    }

    @Test func aUserTokenOnAnApplicationResourceGets900905() {
        let resource = DispatchedResource(
            apiName: "admin--PizzaShackAPI", context: "/pizzashack/1.0.0", version: "1.0.0", resourceTemplate: "/menu",
            methods: ["GET"], authType: .application, scopes: []
        )
        let handler = APIAuthenticationHandlerTests.handler { _ in
            var result = APIAuthenticationHandlerTests.authorized()
            result.userType = .applicationUser
            return result
        }
        var context = APIAuthenticationHandlerTests.request(["Authorization": "Bearer tok", "Accept": "application/json"])
        guard case .respond = handler.handleRequest(&context, resource: resource) else {
            Issue.record("a user token must not call an Application resource")
            return
        }
        #expect(context.statusCode == 401)
        #expect(APIAuthenticationHandlerTests.body(context).contains(#""code":900905"#))
    }

    @Test func grantTypesMapToWSO2UserTypes() {
        #expect(AccessTokenUserType(grantType: "client_credentials") == .application)
        #expect(AccessTokenUserType(grantType: "password") == .applicationUser)
        #expect(AccessTokenUserType(grantType: "refresh_token") == .applicationUser)
    }
}
