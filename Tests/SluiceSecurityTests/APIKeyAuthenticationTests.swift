import Foundation
import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing

@testable import SluiceSecurity

/// API keys at the authentication handler: where the key is read, which schemes an API accepts, and the IP and
/// referrer restrictions (WSO2's 900908, HTTP 403).
@Suite struct APIKeyAuthenticationTests {
    typealias Tests = APIAuthenticationHandlerTests

    static func configuration(_ properties: [(String, String)]) throws -> APIAuthenticationHandler.Configuration {
        try APIAuthenticationHandler.Configuration(
            spec: GatewayHandlerSpec(
                className: APIAuthenticationHandler.classNames[0],
                properties: properties.map { GatewayHandlerSpec.Property(name: $0.0, value: $0.1) }
            )
        )
    }

    static func keyAnswer(ips: String? = nil, referers: String? = nil) -> @Sendable (KeyValidationRequest) -> KeyValidationResult {
        { request in
            guard request.isAPIKey, request.accessToken == "the-key" else { return .denied(.invalidCredentials) }
            var result = Tests.authorized()
            result.permittedIPs = ips.map(PermittedAddresses.init)
            result.permittedReferers = referers.map(PermittedReferers.init)
            return result
        }
    }

    static func code(_ context: MessageContext) -> String? {
        let body = Tests.body(context)
        guard let start = body.range(of: "<ams:code>"), let end = body.range(of: "</ams:code>") else { return nil }
        return String(body[start.upperBound..<end.lowerBound])
    }

    @Test func aKeyInTheHeaderOrQueryAuthenticatesAndLeavesNoHeaderForTheBackend() throws {
        let handler = Tests.handler(answer: Self.keyAnswer(), configuration: try Self.configuration([("APISecurity", "oauth2,api_key")]))
        var header = Tests.request(["ApiKey": "the-key"])
        guard case .proceed = handler.handleRequest(&header, resource: Tests.resource) else {
            Issue.record("a key in the apikey header (any case) must pass")
            return
        }
        #expect(header.headers.first(name: "apikey") == nil)
        #expect(header[property: "api.ut.application.id"] == "app-1")
        var query = MessageContext(method: "GET", requestPath: "/pizzashack/1.0.0/menu", query: "a=1&apikey=the-key", headers: [:])
        guard case .proceed = handler.handleRequest(&query, resource: Tests.resource) else {
            Issue.record("a key in the apikey query parameter must pass")
            return
        }
        // Bearer tokens still work on an API that accepts both.
        var bearer = Tests.request(["Authorization": "Bearer tok"])
        let both = Tests.handler(
            answer: { $0.isAPIKey ? .denied(.invalidCredentials) : Tests.authorized() },
            configuration: try Self.configuration([("APISecurity", "oauth2,api_key")])
        )
        guard case .proceed = both.handleRequest(&bearer, resource: Tests.resource) else {
            Issue.record("a bearer token must pass when oauth2 is accepted")
            return
        }
        var wrong = Tests.request(["apikey": "other-key"])
        _ = handler.handleRequest(&wrong, resource: Tests.resource)
        #expect(wrong.statusCode == 401)
        #expect(Self.code(wrong) == "900901")
    }

    @Test func aKeyInTheQueryIsNotForwardedToTheBackend() throws {
        let handler = Tests.handler(answer: Self.keyAnswer(), configuration: try Self.configuration([("APISecurity", "api_key")]))
        var query = MessageContext(method: "GET", requestPath: "/pizzashack/1.0.0/menu", query: "a=1&apikey=the-key&b=x%26y", headers: [:])
        query[property: SynapseProperty.restURLPostfix, scope: .axis2] = "/menu?a=1&apikey=the-key&b=x%26y"
        guard case .proceed = handler.handleRequest(&query, resource: Tests.resource) else {
            Issue.record("a key in the query must pass")
            return
        }
        #expect(query[property: SynapseProperty.restURLPostfix, scope: .axis2] == "/menu?a=1&b=x%26y")
        var only = MessageContext(method: "GET", requestPath: "/pizzashack/1.0.0/menu", query: "apikey=the-key", headers: [:])
        only[property: SynapseProperty.restURLPostfix, scope: .axis2] = "/menu?apikey=the-key"
        _ = handler.handleRequest(&only, resource: Tests.resource)
        #expect(only[property: SynapseProperty.restURLPostfix, scope: .axis2] == "/menu")
        // A key in the header leaves the query alone.
        var header = Tests.request(["apikey": "the-key"])
        header[property: SynapseProperty.restURLPostfix, scope: .axis2] = "/menu?apikey=other"
        _ = handler.handleRequest(&header, resource: Tests.resource)
        #expect(header[property: SynapseProperty.restURLPostfix, scope: .axis2] == "/menu?apikey=other")
        #expect(QueryParameters.removing(named: "apikey", from: "apikey=a&b&c=1&apikey=z") == "c=1")
        #expect(QueryParameters.removing(named: "apikey", from: "x=1") == "x=1")
    }

    @Test func restrictionListsAreReadOnceAndKeepTheirText() throws {
        let addresses = PermittedAddresses("10.0.0.0/8, 192.168.1.7, junk")
        #expect(addresses.permits("10.2.3.4") && addresses.permits("192.168.1.7"))
        #expect(!addresses.permits("192.168.1.8") && !addresses.permits("not an address"))
        let referers = PermittedReferers("https://shop.example/*, http://localhost:*")
        #expect(referers.permits("https://shop.example/cart") && referers.permits("http://localhost:8080"))
        #expect(!referers.permits(nil) && !referers.permits("https://evil.example/shop.example/"))
        let encoded = try JSONEncoder().encode(addresses)
        #expect(String(decoding: encoded, as: UTF8.self) == #""10.0.0.0\/8, 192.168.1.7, junk""#)
        #expect(try JSONDecoder().decode(PermittedAddresses.self, from: encoded) == addresses)
    }

    @Test func theHeaderNameIsTheAPIsAndSchemesDecideWhatIsRead() throws {
        let custom = Tests.handler(
            answer: Self.keyAnswer(), configuration: try Self.configuration([("APISecurity", "api_key"), ("apiKeyHeader", "X-Key")])
        )
        var named = Tests.request(["X-Key": "the-key"])
        guard case .proceed = custom.handleRequest(&named, resource: Tests.resource) else {
            Issue.record("the API's own header must be read")
            return
        }
        // api_key alone: a bearer token is not read, and the missing key is 900902 naming the header.
        var bearer = Tests.request(["Authorization": "Bearer tok", "apikey": "the-key"])
        _ = custom.handleRequest(&bearer, resource: Tests.resource)
        #expect(bearer.statusCode == 401)
        #expect(Self.code(bearer) == "900902")
        #expect(Tests.body(bearer).contains("X-Key : API_KEY"))
        // oauth2 alone (the default): an API key is not read.
        let oauthOnly = Tests.handler(answer: Self.keyAnswer(), configuration: .init())
        var key = Tests.request(["apikey": "the-key"])
        _ = oauthOnly.handleRequest(&key, resource: Tests.resource)
        #expect(Self.code(key) == "900902")
    }

    @Test func schemesSluiceDoesNotEnforceAloneAreRefusedAtDeploy() throws {
        #expect(throws: MediationCompileError.self) { try Self.configuration([("APISecurity", "basic_auth")]) }
        #expect(throws: MediationCompileError.self) { try Self.configuration([("APISecurity", "api_key"), ("apiKeyHeader", "a b")]) }
        let mixed = try Self.configuration([("APISecurity", " oauth2 , mutualssl ")])
        #expect(mixed.acceptsOAuth2 && !mixed.acceptsAPIKey)
        let defaults = try Self.configuration([])
        #expect(defaults.acceptsOAuth2 && !defaults.acceptsAPIKey && defaults.apiKeyHeader == "apikey")
    }

    @Test func permittedAddressesAre900908Otherwise() throws {
        let handler = Tests.handler(
            answer: Self.keyAnswer(ips: "10.0.0.0/8, 2001:db8::/32,192.168.1.7"),
            configuration: try Self.configuration([("APISecurity", "api_key")])
        )
        for (address, allowed) in [
            ("10.20.30.40", true), ("192.168.1.7", true), ("2001:db8::5", true), ("::ffff:10.1.1.1", true),
            ("192.168.1.8", false), ("11.0.0.1", false), ("2001:db9::1", false), ("", false),
        ] {
            var context = Tests.request(["apikey": "the-key"])
            context.clientAddress = address
            let decision = handler.handleRequest(&context, resource: Tests.resource)
            if allowed {
                guard case .proceed = decision else {
                    Issue.record("\(address) is permitted")
                    continue
                }
            } else {
                #expect(context.statusCode == 403, "\(address)")
                #expect(Self.code(context) == "900908")
            }
        }
    }

    @Test func permittedReferersMatchWholeHeadersWithStars() throws {
        let handler = Tests.handler(
            answer: Self.keyAnswer(referers: "https://shop.example/*, *.partner.example/app"),
            configuration: try Self.configuration([("APISecurity", "api_key")])
        )
        for (referer, allowed) in [
            ("https://shop.example/", true), ("https://shop.example/cart?x=1", true),
            ("https://www.partner.example/app", true), ("https://shop.example.evil/x", false),
            ("http://shop.example/", false), ("https://www.partner.example/app/more", false), (nil, false),
        ] as [(String?, Bool)] {
            var headers: HTTPHeaders = ["apikey": "the-key"]
            if let referer { headers.add(name: "Referer", value: referer) }
            var context = Tests.request(headers)
            let decision = handler.handleRequest(&context, resource: Tests.resource)
            if allowed {
                guard case .proceed = decision else {
                    Issue.record("\(referer ?? "none") is permitted")
                    continue
                }
            } else {
                #expect(context.statusCode == 403, "\(referer ?? "none")")
            }
        }
        #expect(PermittedReferers("*a*a*a*a*").permits("aaaa"))
        #expect(!PermittedReferers("*a*a*a*a*").permits("aaa"))
    }
}
