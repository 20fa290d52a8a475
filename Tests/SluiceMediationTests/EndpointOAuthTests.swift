import NIOCore
import NIOEmbedded
import SluiceMediation
import SluiceModel
import Testing

/// `<authentication><oauth>` of `<http>` endpoints (WSO2 MI's `OAuthConfiguredHTTPEndpoint`): reading, writing,
/// the token request each grant makes, the token cache, and the token endpoint's answers.
@Suite struct EndpointOAuthTests {
    static func http(_ oauth: String) -> String {
        #"""
        <endpoint name="lb"><http uri-template="http://127.0.0.1:9/orders" method="get">
          <authentication><oauth>\#(oauth)</oauth></authentication>
        </http></endpoint>
        """#
    }

    static let clientCredentials = """
        <clientCredentials><clientId>app</clientId><clientSecret>s3cret</clientSecret>\
        <tokenUrl>http://127.0.0.1:9/token</tokenUrl></clientCredentials>
        """

    static func oauth(_ body: String) throws -> EndpointOAuth {
        let definitions = try EndpointKindsTests.endpointsRoundTrip(Self.http(body))
        guard case .http(let http) = definitions[0].kind, let oauth = http.oauth else {
            throw EndpointKindsTests.NotALeaf()
        }
        #expect(!"\(definitions[0])".contains("s3cret"))
        return oauth
    }

    static func source(_ body: String) throws -> OAuthTokenSource {
        try #require(try EndpointRetryAndCredentialsTests.leaf(Self.http(body)).oauth)
    }

    @Test func everyGrantRoundTrips() throws {
        let client = try Self.oauth(Self.clientCredentials)
        #expect(client.grant == .clientCredentials)
        #expect(client.tokenURL == .literal("http://127.0.0.1:9/token"))
        let password = try Self.oauth("""
            <passwordCredentials><username>ann</username><password>pw</password><clientId>app</clientId>\
            <clientSecret>s3cret</clientSecret><tokenUrl>http://127.0.0.1:9/token</tokenUrl>\
            <requestParameters><parameter name="scope">read write</parameter>\
            <parameter name="account">{$ctx:account}</parameter></requestParameters>\
            <customHeaders><header name="X-Tenant">t1</header></customHeaders><authMode>payload</authMode>\
            <connectionTimeout>500</connectionTimeout><socketTimeout>2000</socketTimeout>\
            <useGlobalConnectionTimeoutConfigs>false</useGlobalConnectionTimeoutConfigs></passwordCredentials>
            """)
        #expect(password.grant == .password(username: .literal("ann"), password: .literal("pw")))
        #expect(password.requestParameters.map(\.name) == ["scope", "account"])
        guard case .expression = password.requestParameters[1].value else {
            Issue.record("\(password.requestParameters)")
            return
        }
        #expect(password.customHeaders == [NamedValue(name: "X-Tenant", value: .literal("t1"))])
        #expect(password.authMode == .literal("payload"))
        #expect(password.connectionTimeout == 500 && password.socketTimeout == 2000)
        #expect(password.useGlobalConnectionTimeoutConfigs == false)
        let code = try Self.oauth("""
            <authorizationCode><refreshToken>r-1</refreshToken><clientId>app</clientId>\
            <clientSecret>s3cret</clientSecret><tokenUrl>http://127.0.0.1:9/token</tokenUrl></authorizationCode>
            """)
        #expect(code.grant == .authorizationCode(refreshToken: .literal("r-1")))
    }

    @Test(arguments: [
        ("", "<oauth> needs one of <clientCredentials>, <passwordCredentials> or <authorizationCode>"),
        (clientCredentials + clientCredentials.replacingOccurrences(of: "client", with: "password"), "takes one grant"),
        ("<clientCredentials><clientId>a</clientId><tokenUrl>http://t/</tokenUrl></clientCredentials>", "needs <clientSecret>"),
        (
            "<passwordCredentials><clientId>a</clientId><clientSecret>b</clientSecret><tokenUrl>http://t/</tokenUrl></passwordCredentials>",
            "<passwordCredentials> needs <username>, <password>"
        ),
        (
            "<clientCredentials><clientId>a</clientId><clientSecret>b</clientSecret><tokenUrl>ftp://t/</tokenUrl></clientCredentials>",
            "is not an http:// or https:// URL"
        ),
        (
            "<clientCredentials><clientId>a</clientId><clientSecret>b</clientSecret><tokenUrl>http://t/</tokenUrl><refreshToken>r</refreshToken></clientCredentials>",
            "<refreshToken> does not belong to <clientCredentials>"
        ),
        (
            "<clientCredentials><clientId>a</clientId><clientSecret>b</clientSecret><tokenUrl>http://t/</tokenUrl><proxyConfigs/></clientCredentials>",
            "<proxyConfigs> of an <oauth> grant is not supported"
        ),
        (
            "<clientCredentials><clientId>a</clientId><clientSecret>b</clientSecret><tokenUrl>http://t/</tokenUrl><socketTimeout>x</socketTimeout></clientCredentials>",
            "'socketTimeout' must be an integer"
        ),
        (
            "<clientCredentials><clientId>a</clientId><clientSecret>b</clientSecret><tokenUrl>http://t/</tokenUrl><customHeaders><header name=\"X\"/></customHeaders></clientCredentials>",
            "<header> of <customHeaders> needs a 'name' and a value"
        ),
        ("<clientCredentials><clientId></clientId></clientCredentials>", "<clientId> of <clientCredentials> is empty"),
    ])
    func badOAuthIsReported(xml: String, problem: String) {
        let problems = EndpointKindsTests.problems(Self.http(xml))
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }

    @Test func basicAndOAuthTogetherAreRefused() {
        let problems = EndpointKindsTests.problems(
            Self.http("").replacingOccurrences(
                of: "<oauth></oauth>",
                with: "<basicAuth><username>a</username><password>b</password></basicAuth><oauth>\(Self.clientCredentials)</oauth>"
            )
        )
        #expect(problems.contains { $0.contains("takes a <basicAuth> or an <oauth>, not both") }, "\(problems)")
    }

    // MARK: - Token requests

    @Test func clientCredentialsSendsTheClientAsBasicAuthentication() throws {
        let source = try Self.source(Self.clientCredentials)
        var context = Build.context()
        let request = try source.request(for: &context)
        #expect(request.url.host == "127.0.0.1" && request.url.port == 9 && request.url.target == "/token")
        #expect(request.body == "grant_type=client_credentials")
        // base64("app:s3cret")
        #expect(request.headers.map(\.name) == ["Authorization"])
        #expect(request.headers.first?.value == "Basic YXBwOnMzY3JldA==")
    }

    @Test func passwordGrantInPayloadModeWithParametersFromTheMessage() throws {
        let source = try Self.source("""
            <passwordCredentials><username>ann</username><password>p&amp;w</password><clientId>{$ctx:client}</clientId>\
            <clientSecret>s3cret</clientSecret><tokenUrl>http://127.0.0.1:9/token</tokenUrl>\
            <requestParameters><parameter name="scope">read write</parameter>\
            <parameter name="account">{$ctx:account}</parameter></requestParameters>\
            <customHeaders><header name="X-Tenant">t1</header></customHeaders><authMode>Payload</authMode>\
            </passwordCredentials>
            """)
        var context = Build.context()
        try Build.run(
            try MediatorXML.roundTrip(#"<property name="client" value="app"/><property name="account" value="42"/>"#),
            on: &context
        )
        let request = try source.request(for: &context)
        #expect(
            request.body
                == "grant_type=password&username=ann&password=p%26w&client_id=app&client_secret=s3cret&scope=read%20write&account=42"
        )
        #expect(request.headers.map(\.name) == ["X-Tenant"])
        var other = Build.context()
        try Build.run(
            try MediatorXML.roundTrip(#"<property name="client" value="app"/><property name="account" value="43"/>"#),
            on: &other
        )
        #expect(try source.request(for: &other).cacheKey != request.cacheKey)
    }

    @Test func authorizationCodeUsesTheRefreshToken() throws {
        let source = try Self.source("""
            <authorizationCode><refreshToken>r-1</refreshToken><clientId>app</clientId>\
            <clientSecret>s3cret</clientSecret><tokenUrl>https://idp.example.com/oauth2/token?x=1</tokenUrl></authorizationCode>
            """)
        var context = Build.context()
        let request = try source.request(for: &context)
        #expect(request.body == "grant_type=refresh_token&refresh_token=r-1")
        #expect(request.url.scheme == "https" && request.url.port == 443 && request.url.target == "/oauth2/token?x=1")
    }

    @Test func aTokenURLFromTheMessageThatIsNoURLFaultsWith303003() throws {
        let source = try Self.source("""
            <clientCredentials><clientId>a</clientId><clientSecret>b</clientSecret><tokenUrl>{$ctx:url}</tokenUrl></clientCredentials>
            """)
        var context = Build.context()
        #expect(throws: MediationFault.self) { try source.request(for: &context) }
        do {
            _ = try source.request(for: &context)
        } catch {
            #expect(error.code == 303003)
            #expect(error.message.contains("oauth configured http endpoint lb"))
        }
    }

    // MARK: - Token endpoint answers

    @Test func theAnswerIsReadAsWSO2ReadsIt() throws {
        func read(_ status: Int, _ body: String) -> Result<OAuthTokenGrant, OAuthTokenRequest.Failure> {
            OAuthTokenGrant.read(status: status, body: Array(body.utf8))
        }
        #expect(try read(200, #"{"access_token":"t","expires_in":120}"#).get() == OAuthTokenGrant(accessToken: "t", expiresIn: 120))
        #expect(try read(200, #"{"access_token":"t","expires_in":"60"}"#).get().expiresIn == 60)
        #expect(try read(200, #"{"access_token":"t"}"#).get().expiresIn == nil)
        #expect(throws: OAuthTokenRequest.Failure.self) { _ = try read(401, #"{"access_token":"t"}"#).get() }
        #expect(throws: OAuthTokenRequest.Failure.self) { _ = try read(200, #"{"token":"t"}"#).get() }
        #expect(throws: OAuthTokenRequest.Failure.self) { _ = try read(200, "not json").get() }
        if case .failure(let failure) = read(400, #"{"error":"secret-details"}"#) {
            #expect(failure.description.contains("HTTP 400") && !failure.description.contains("secret-details"))
        }
    }

    // MARK: - Cache

    @Test func theCacheSharesOneRequestAndKeepsTheTokenUntilItExpires() throws {
        let loop = EmbeddedEventLoop()
        let cache = OAuthTokenCache()
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let answer = loop.makePromise(of: OAuthTokenGrant.self)
        var fetches = 0
        func lookup(at now: NIODeadline, rejecting: String? = nil, grant: OAuthTokenGrant? = nil) -> OAuthTokenCache.Lookup {
            cache.token(for: "k", rejecting: rejecting, on: loop, now: now) {
                fetches += 1
                return grant.map { loop.makeSucceededFuture($0) } ?? answer.futureResult
            }
        }
        guard case .pending(let first) = lookup(at: start), case .pending(let second) = lookup(at: start) else {
            Issue.record("expected pending lookups")
            return
        }
        #expect(fetches == 1)
        answer.succeed(OAuthTokenGrant(accessToken: "t1", expiresIn: 60))
        #expect(try first.wait() == "t1")
        #expect(try second.wait() == "t1")
        guard case .ready("t1") = lookup(at: start + .seconds(59)) else {
            Issue.record("t1 should be cached")
            return
        }
        #expect(fetches == 1)
        // Expired: a new request.
        guard case .pending(let renewed) = lookup(at: start + .seconds(60), grant: OAuthTokenGrant(accessToken: "t2", expiresIn: nil))
        else {
            Issue.record("expected a new request")
            return
        }
        #expect(try renewed.wait() == "t2")
        #expect(fetches == 2)
        // Refused by the backend: a new request even though it has not expired.
        guard case .pending(let third) = lookup(at: start + .seconds(61), rejecting: "t2", grant: OAuthTokenGrant(accessToken: "t3", expiresIn: 99_999))
        else {
            Issue.record("expected a new request")
            return
        }
        #expect(try third.wait() == "t3")
        #expect(fetches == 3)
        // A token refused earlier that was already replaced is not fetched again.
        guard case .ready("t3") = lookup(at: start + .seconds(62), rejecting: "t2") else {
            Issue.record("t3")
            return
        }
        // Kept at most WSO2's 3,000 seconds however long the token says it lives.
        guard case .pending = lookup(at: start + .seconds(61 + 3000), grant: OAuthTokenGrant(accessToken: "t4", expiresIn: 10))
        else {
            Issue.record("t3 should have expired after 3000 s")
            return
        }
        #expect(fetches == 4)
    }

    @Test func aFailedRequestIsNotCached() throws {
        let loop = EmbeddedEventLoop()
        let cache = OAuthTokenCache()
        let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let failed = cache.token(for: "k", on: loop, now: now) {
            loop.makeFailedFuture(OAuthTokenRequest.Failure("down"))
        }
        guard case .pending(let future) = failed else {
            Issue.record("expected pending")
            return
        }
        #expect(throws: OAuthTokenRequest.Failure.self) { try future.wait() }
        #expect(cache.count == 0)
        guard case .pending(let retried) = cache.token(for: "k", on: loop, now: now, fetch: {
            loop.makeSucceededFuture(OAuthTokenGrant(accessToken: "t", expiresIn: 5))
        }) else {
            Issue.record("expected a new request")
            return
        }
        #expect(try retried.wait() == "t")
    }

    @Test func theCacheIsBounded() throws {
        let loop = EmbeddedEventLoop()
        let cache = OAuthTokenCache()
        let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        for index in 0..<(OAuthTokenCache.capacity + 10) {
            _ = cache.token(for: "k\(index)", on: loop, now: now) {
                loop.makeSucceededFuture(OAuthTokenGrant(accessToken: "t\(index)", expiresIn: Int64(100 + index)))
            }
        }
        #expect(cache.count == OAuthTokenCache.capacity)
    }
}
