import AsyncHTTPClient
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// Live dispatch and endpoint behaviour: version strategies, 404/403, uri-template and address endpoints,
/// header handling, load balancing and failover.
@Suite(.timeLimit(.minutes(1))) struct RoutingAndEndpointTests {
    /// Synapse's order: url-mappings (exact, longest prefix) before uri-templates, whatever the document order.
    @Test func dispatchFollowsVersionStrategiesAndSynapsesOrder() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let url = backend.baseURL
        let files = [
            "api/admin--Pizza_v1.0.0.xml": Artifact.api(
                name: "admin--Pizza", context: "/pizzashack/{version}", version: "1.0.0",
                resources: Artifact.passthrough(methods: "GET", mapping: #"url-mapping="/menu""#, endpoint: Artifact.address(url + "/exact"))
                    + Artifact.passthrough(methods: "GET", mapping: #"uri-template="/order/{id}""#, endpoint: Artifact.address(url + "/template"))
                    + Artifact.passthrough(methods: "GET", mapping: #"url-mapping="/other/*""#, endpoint: Artifact.address(url + "/catchall"))
                    + Artifact.passthrough(methods: "GET", mapping: #"url-mapping="/*""#, endpoint: Artifact.address(url + "/default"))
            ),
            "api/orders.xml": Artifact.api(
                name: "orders", context: "/orders", version: "v2", versionType: "url",
                resources: Artifact.passthrough(methods: "GET", endpoint: Artifact.address(url + "/v2"))
            ),
        ]
        let gateway = try await GatewayHarness.start(files: files)
        defer { gateway.stopInBackground() }
        let base = gateway.baseURL
        let exact = try await HTTPClient.shared.send(.GET, base + "/pizzashack/1.0.0/menu")
        #expect(exact.header("X-Echo-URI") == "/exact/menu")
        // `/*` is a url-mapping, so it takes /order/42 before the uri-template is tried.
        let template = try await HTTPClient.shared.send(.GET, base + "/pizzashack/1.0.0/order/42?x=1")
        #expect(template.header("X-Echo-URI") == "/default/order/42?x=1")
        let catchall = try await HTTPClient.shared.send(.GET, base + "/pizzashack/1.0.0/other/thing")
        #expect(catchall.header("X-Echo-URI") == "/catchall/other/thing")
        let byURL = try await HTTPClient.shared.send(.GET, base + "/orders/v2/7")
        #expect(byURL.header("X-Echo-URI") == "/v2/7")

        let noAPI = try await HTTPClient.shared.send(.GET, base + "/nothing/here")
        #expect(noAPI.status == 404)
        #expect(noAPI.body.contains("<am:code>404</am:code>"))
        let wrongMethod = try await HTTPClient.shared.send(.DELETE, base + "/pizzashack/1.0.0/menu")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow") == "GET")
        let versions = try await HTTPClient.shared.send(.GET, base + "/orders/v2")
        #expect(versions.header("X-Echo-URI") == "/v2")
    }

    @Test func httpEndpointExpandsURITemplateVariablesAndQueryParameters() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let endpoint = #"<endpoint><http method="GET" uri-template="\#(backend.baseURL)/items/{uri.var.itemId}/detail?q={query.param.q}"/></endpoint>"#
        let gateway = try await GatewayHarness.start(files: [
            "api/items.xml": Artifact.api(
                name: "items", context: "/shop",
                resources: Artifact.passthrough(methods: "POST", mapping: #"uri-template="/items/{itemId}""#, endpoint: endpoint)
            )
        ])
        defer { gateway.stopInBackground() }
        let response = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/shop/items/a%20b?q=red+shoes", body: "x")
        #expect(response.status == 200)
        #expect(response.header("X-Echo-Method") == "GET")
        #expect(response.header("X-Echo-URI") == "/items/a%20b/detail?q=red%20shoes")
    }

    @Test func proxyHeadersFollowRFC9110() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: [
            "api/h.xml": Artifact.api(name: "h", context: "/h", resources: Artifact.passthrough(endpoint: Artifact.address(backend.baseURL)))
        ])
        defer { gateway.stopInBackground() }
        let response = try await HTTPClient.shared.send(
            .GET, gateway.baseURL + "/h/echo",
            headers: [("Connection", "keep-alive, X-Secret-Hop"), ("X-Secret-Hop", "1"), ("Keep-Alive", "timeout=5"),
                      ("X-Forwarded-For", "10.0.0.1"), ("X-Kept", "yes")]
        )
        #expect(response.status == 200)
        let seen = try #require(backend.recordedRequests.last)
        #expect(seen.header("X-Secret-Hop") == nil)
        #expect(seen.header("Keep-Alive") == nil)
        #expect(seen.header("X-Kept") == "yes")
        #expect(seen.header("X-Forwarded-For") == "10.0.0.1, 127.0.0.1")
        #expect(seen.header("X-Forwarded-Host") == "127.0.0.1:\(gateway.port)")
        #expect(seen.header("X-Forwarded-Proto") == "http")
        #expect(seen.header("Host") == "127.0.0.1:\(backend.port)")
    }

    @Test func backendConnectionsAreKeptAlive() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: [
            "api/k.xml": Artifact.api(name: "k", context: "/k", resources: Artifact.passthrough(endpoint: Artifact.address(backend.baseURL)))
        ])
        defer { gateway.stopInBackground() }
        for index in 0..<20 {
            let response = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/k/echo", body: "request \(index)")
            #expect(response.body == "request \(index)")
        }
        #expect(backend.recordedRequests.count == 20)
        // One pool per event loop: sequential requests on one client connection reuse one backend connection.
        #expect(backend.acceptedConnections <= 2)
    }

    @Test func loadbalanceRoundRobinsAndFailsOver() async throws {
        let first = try await TestHTTPBackend.start(name: "first")
        defer { first.shutdownInBackground() }
        let second = try await TestHTTPBackend.start(name: "second")
        defer { second.shutdownInBackground() }
        let dead = try DeadPort()
        let deadURL = dead.baseURL
        let balanced = """
            <endpoint><loadbalance algorithm="org.apache.synapse.endpoints.algorithms.RoundRobin">
              <endpoint><address uri="\(first.baseURL)"/></endpoint>
              <endpoint><address uri="\(second.baseURL)"/></endpoint>
              <endpoint><address uri="\(deadURL)"><suspendOnFailure><initialDuration>60000</initialDuration></suspendOnFailure></address></endpoint>
            </loadbalance></endpoint>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/lb.xml": Artifact.api(name: "lb", context: "/lb", resources: Artifact.passthrough(endpoint: balanced))
        ])
        defer { gateway.stopInBackground() }
        var names: [String] = []
        for _ in 0..<6 {
            let response = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/lb/json")
            #expect(response.status == 200)
            names.append(response.header("X-Backend-Name") ?? "?")
        }
        #expect(names.filter { $0 == "first" }.count >= 2)
        #expect(names.filter { $0 == "second" }.count >= 2)
        #expect(!names.contains("dead"))
        // The reserved port must stay reserved until the gateway is gone.
        withExtendedLifetime(dead) {}
    }

    @Test func failoverPrefersThePrimaryAndComesBackToIt() async throws {
        let secondary = try await TestHTTPBackend.start(name: "secondary")
        defer { secondary.shutdownInBackground() }
        let primary = try await TestHTTPBackend.start(name: "primary")
        defer { primary.shutdownInBackground() }
        primary.setDown(true)
        let failover = """
            <endpoint><failover>
              <endpoint><address uri="\(primary.baseURL)"><suspendOnFailure><initialDuration>60000</initialDuration><progressionFactor>1.0</progressionFactor></suspendOnFailure></address></endpoint>
              <endpoint><address uri="\(secondary.baseURL)"/></endpoint>
            </failover></endpoint>
            """
        // The suspension ends on the gateway's injected clock, not after a wall-clock sleep.
        let clock = ManualDeadlineClock()
        let gateway = try await GatewayHarness.start(
            files: ["api/fo.xml": Artifact.api(name: "fo", context: "/fo", resources: Artifact.passthrough(endpoint: failover))],
            now: clock.now
        )
        defer { gateway.stopInBackground() }
        let whilePrimaryDown = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/fo/json")
        #expect(whilePrimaryDown.header("X-Backend-Name") == "secondary")
        primary.setDown(false)
        // Still suspended: a minute has not passed on the gateway's clock.
        let stillSuspended = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/fo/json")
        #expect(stillSuspended.header("X-Backend-Name") == "secondary")
        clock.advance(by: .seconds(61))
        let afterRecovery = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/fo/json")
        #expect(afterRecovery.header("X-Backend-Name") == "primary")
    }
}
