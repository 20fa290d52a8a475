import SluiceModel
import Testing

@testable import SluiceGateway

@Suite struct APIRouterTests {
    private func resource(_ methods: [String] = [], mapping: String? = nil, template: String? = nil) throws -> APIResource {
        let dispatcher: ResourceDispatcher =
            if let mapping { .urlMapping(try URLMapping(mapping)) } else if let template {
                .uriTemplate(try URITemplate(template))
            } else { .none }
        return APIResource(methods: methods, dispatcher: dispatcher)
    }

    private func route(_ router: APIRouter, _ method: String, _ uri: String, host: String? = nil, port: Int? = nil)
        -> APIRouter.Result
    {
        router.route(method: method, target: RequestTarget(uri: uri), host: host, port: port)
    }

    private func matched(_ result: APIRouter.Result) -> RouteMatch? {
        if case .matched(let match) = result { return match }
        return nil
    }

    @Test func versionStrategiesBuildTheEffectiveContext() throws {
        let byContext = SynapseAPI(
            name: "a", context: "/pizzashack/{version}", version: "1.0.0", versionType: .context,
            resources: [try resource(mapping: "/menu")]
        )
        let byURL = SynapseAPI(
            name: "b", context: "/orders", version: "v2", versionType: .url,
            resources: [try resource(mapping: "/*")]
        )
        let router = APIRouter(apis: [byContext, byURL])
        #expect(matched(route(router, "GET", "/pizzashack/1.0.0/menu"))?.apiIndex == 0)
        #expect(matched(route(router, "GET", "/orders/v2/anything/below"))?.apiIndex == 1)
        #expect(matched(route(router, "GET", "/orders/v2/anything/below"))?.subPath == "/anything/below")
        if case .noAPI = route(router, "GET", "/orders/anything") {} else { Issue.record("url versioning needs the version") }
        if case .noAPI = route(router, "GET", "/pizzashack/2.0.0/menu") {} else { Issue.record("wrong version matched") }
    }

    /// Synapse's `API.process`: the url-mapping dispatcher (exact, then longest prefix, then extension), then
    /// uri-templates in document order, then the resource without a dispatcher.
    @Test func resourcesAreTriedInSynapsesDispatcherOrder() throws {
        let api = SynapseAPI(
            name: "a", context: "/shop",
            resources: [
                try resource(template: "/items/{id}"),
                try resource(template: "/items/special"),
                try resource(mapping: "*.json"),
                try resource(mapping: "/items/*"),
                try resource(mapping: "/items/exact"),
                try resource(template: "/report/{name}"),
                try resource(),
            ]
        )
        let router = APIRouter(apis: [api])
        #expect(matched(route(router, "GET", "/shop/items/exact"))?.resourceIndex == 4)
        // url-mappings are tried before any uri-template, whatever the document order.
        #expect(matched(route(router, "GET", "/shop/items/special"))?.resourceIndex == 3)
        #expect(matched(route(router, "GET", "/shop/items/42?x=1"))?.resourceIndex == 3)
        #expect(matched(route(router, "GET", "/shop/report.json"))?.resourceIndex == 2)
        let byTemplate = try #require(matched(route(router, "GET", "/shop/report/q1")))
        #expect(byTemplate.resourceIndex == 5)
        #expect(byTemplate.uriVariables.map(\.0) == ["name"] && byTemplate.uriVariables.map(\.1) == ["q1"])
        #expect(matched(route(router, "GET", "/shop/elsewhere"))?.resourceIndex == 6)
        // Among uri-templates the first in document order wins, even when a later one is more literal.
        let templates = SynapseAPI(
            name: "b", context: "/t", resources: [try resource(template: "/{id}"), try resource(template: "/list")]
        )
        #expect(matched(route(APIRouter(apis: [templates]), "GET", "/t/list"))?.resourceIndex == 0)
    }

    /// Synapse's `API.process` after a miss: a resource with the path but not the method answers 405; a path no
    /// resource has is the resource mismatch (WSO2's 900906).
    @Test func aMissIs405WhenAnotherMethodHasThePathAnd900906Otherwise() throws {
        let api = SynapseAPI(
            name: "a", context: "/pets",
            resources: [try resource(["GET"], template: "/pets/{id}"), try resource(["POST", "PUT"], mapping: "/pets")]
        )
        let router = APIRouter(apis: [api])
        #expect(matched(route(router, "GET", "/pets/pets/7"))?.resourceIndex == 0)
        #expect(matched(route(router, "POST", "/pets/pets"))?.resourceIndex == 1)
        guard case .methodNotAllowed(let apiIndex, let context, let allowed) = route(router, "DELETE", "/pets/pets/7")
        else {
            Issue.record("expected 405")
            return
        }
        #expect(apiIndex == 0 && context == "/pets" && allowed == ["GET"])
        guard case .methodNotAllowed(_, _, let others) = route(router, "GET", "/pets/pets") else {
            Issue.record("expected 405")
            return
        }
        #expect(others == ["POST", "PUT"])
        guard case .noMatchingResource(let index, let missContext) = route(router, "GET", "/pets/cats/7") else {
            Issue.record("expected no matching resource")
            return
        }
        #expect(index == 0 && missContext == "/pets")
        if case .noAPI = route(router, "GET", "/petsy/pets") {} else { Issue.record("context must end at a segment") }
    }

    /// Synapse accepts OPTIONS on every resource (`Resource.canProcess`) and tries resources listing only OPTIONS
    /// first; a resource that does not list OPTIONS answers it with `Allow` instead of mediating it.
    @Test func optionsTakesTheDispatchedResourceAsPreflightUnlessItListsOptions() throws {
        let api = SynapseAPI(
            name: "a", context: "/pets",
            resources: [
                try resource(["GET"], mapping: "/menu/*"), try resource(["POST"], template: "/pets/{id}"),
                try resource(["GET", "OPTIONS"], mapping: "/menu"), try resource(["OPTIONS"], mapping: "/menu/*"),
            ]
        )
        let router = APIRouter(apis: [api])
        let preflight = try #require(matched(route(router, "OPTIONS", "/pets/pets/7")))
        #expect(preflight.resourceIndex == 1)
        #expect(preflight.isPreflightOnly)
        #expect(preflight.uriVariables.map(\.1) == ["7"])
        let listed = try #require(matched(route(router, "OPTIONS", "/pets/menu")))
        #expect(listed.resourceIndex == 2 && !listed.isPreflightOnly)
        // The OPTIONS-only resource comes before the GET one with the same prefix.
        let optionsOnly = try #require(matched(route(router, "OPTIONS", "/pets/menu/today")))
        #expect(optionsOnly.resourceIndex == 3 && !optionsOnly.isPreflightOnly)
        #expect(matched(route(router, "GET", "/pets/menu/today"))?.resourceIndex == 0)
        #expect(matched(route(router, "POST", "/pets/pets/7"))?.isPreflightOnly == false)
        let other = SynapseAPI(name: "b", context: "/only", resources: [try resource(["GET"], mapping: "/menu")])
        guard case .noMatchingResource = route(APIRouter(apis: [other]), "OPTIONS", "/only/elsewhere") else {
            Issue.record("OPTIONS on a path no resource takes is still 900906")
            return
        }
    }

    /// Synapse matches a uri-template against the path and query as text: a template with a query part needs
    /// that query, in that order, and nothing after it.
    @Test func uriTemplatesBindVariablesFromPathAndQuery() throws {
        let api = SynapseAPI(
            name: "a", context: "/t",
            resources: [try resource(template: "/orders/{orderId}/lines/{line}.{format}?status={status}")]
        )
        let router = APIRouter(apis: [api])
        let match = try #require(matched(route(router, "GET", "/t/orders/A%2F1/lines/3.json?status=open%20now")))
        #expect(match.uriVariables.map(\.0) == ["orderId", "line", "format", "status"])
        #expect(match.uriVariables.map(\.1) == ["A/1", "3", "json", "open now"])
        for uri in ["/t/orders/1/lines/3.json", "/t/orders/1/lines/3.json?status=open&x=1", "/t/orders/1/lines/3.json?x=1&status=open"] {
            if case .noMatchingResource = route(router, "GET", uri) {} else { Issue.record("\(uri) must not match") }
        }
    }

    @Test func longestContextWinsAndHostAndPortFilter() throws {
        let general = SynapseAPI(name: "general", context: "/api", resources: [try resource()])
        let specific = SynapseAPI(name: "specific", context: "/api/v2", resources: [try resource()])
        let hosted = SynapseAPI(name: "hosted", context: "/api", hostname: "example.com", resources: [try resource()])
        let ported = SynapseAPI(name: "ported", context: "/api", port: 8281, resources: [try resource()])
        let router = APIRouter(apis: [general, specific, hosted, ported])
        #expect(matched(route(router, "GET", "/api/v2/x"))?.apiIndex == 1)
        #expect(matched(route(router, "GET", "/api/v1/x"))?.apiIndex == 0)
        #expect(matched(route(router, "GET", "/api/x", host: "example.com"))?.apiIndex == 2)
        #expect(matched(route(router, "GET", "/api/x", host: "other.org", port: 8281))?.apiIndex == 3)
        #expect(matched(route(router, "GET", "/api", host: "other.org", port: 8280))?.apiIndex == 0)
    }

    @Test func resourceFiltersAndTransportsNarrowDispatch() throws {
        var json = try resource(mapping: "/*")
        json.contentType = "application/json"
        var curl = try resource(mapping: "/*")
        curl.userAgent = "curl/.*"
        var secure = try resource(mapping: "/*")
        secure.protocolRestriction = "https"
        let apis = [
            SynapseAPI(name: "a", context: "/a", resources: [json, curl]),
            SynapseAPI(name: "s", context: "/s", resources: [secure]),
            SynapseAPI(name: "t", context: "/t", transports: [.https], resources: [try resource()]),
        ]
        let router = APIRouter(apis: apis)
        let secureRouter = APIRouter(apis: apis, isSecure: true)
        func route(
            contentType: String?,
            userAgent: String?,
            path: String = "/a/x",
            transport: SynapseAPI.Transport = .http
        ) -> APIRouter.Result {
            (transport == .https ? secureRouter : router).route(
                method: "GET", target: RequestTarget(uri: path), host: nil, port: nil, contentType: contentType,
                userAgent: userAgent
            )
        }
        #expect(matched(route(contentType: "application/json; charset=UTF-8", userAgent: nil))?.resourceIndex == 0)
        #expect(matched(route(contentType: "text/plain", userAgent: "curl/8.1"))?.resourceIndex == 1)
        // Synapse: a resource has the path and the method, but no resource accepts the request: 400.
        if case .badRequest = route(contentType: "text/plain", userAgent: "wget") {} else {
            Issue.record("filters must exclude")
        }
        if case .badRequest = route(contentType: nil, userAgent: nil, path: "/s/x") {} else {
            Issue.record("https-only resources do not match plain HTTP")
        }
        #expect(matched(route(contentType: nil, userAgent: nil, path: "/s/x", transport: .https))?.apiIndex == 1)
        if case .transportDenied = route(contentType: nil, userAgent: nil, path: "/t/x") {} else {
            Issue.record("https-only APIs are not served on plain HTTP: the main sequence says so")
        }
        #expect(matched(route(contentType: nil, userAgent: nil, path: "/t/x", transport: .https))?.apiIndex == 2)
        if case .noAPI = route(contentType: nil, userAgent: nil, path: "/u/x") {} else {
            Issue.record("an unknown context is no API, whatever the transport")
        }
    }

    @Test func aTransportRefusalFallsBackToAShorterContextThatTakesTheTransport() throws {
        let apis = [
            SynapseAPI(name: "outer", context: "/shop", resources: [try resource()]),
            SynapseAPI(name: "inner", context: "/shop/admin", transports: [.https], resources: [try resource()]),
            SynapseAPI(name: "plain", context: "/legacy", transports: [.http], resources: [try resource()]),
        ]
        func route(_ path: String, _ transport: SynapseAPI.Transport) -> APIRouter.Result {
            APIRouter(apis: apis, isSecure: transport == .https)
                .route(method: "GET", target: RequestTarget(uri: path), host: nil, port: nil)
        }
        #expect(matched(route("/shop/admin/x", .https))?.apiIndex == 1)
        #expect(matched(route("/shop/admin/x", .http))?.apiIndex == 0)
        if case .transportDenied = route("/legacy/x", .https) {} else {
            Issue.record("an http-only API refuses HTTPS")
        }
    }

    @Test func lookupDoesNotScanEveryAPI() throws {
        // 20,000 APIs: a lookup walks path segments only, so this stays fast even in a debug build.
        let apis = try (0..<20_000).map { index in
            SynapseAPI(name: "api\(index)", context: "/svc\(index)/v1", resources: [try resource(mapping: "/ping")])
        }
        let router = APIRouter(apis: apis)
        // Lookup speed is measured by Benchmarks/ (route lookup among 1 and 10,000 APIs), not timed here.
        for index in stride(from: 0, to: 20_000, by: 7) {
            #expect(matched(route(router, "GET", "/svc\(index)/v1/ping"))?.apiIndex == index)
        }
        #expect(matched(route(router, "GET", "/svc19999/v1/ping"))?.apiIndex == 19_999)
    }
}
