import AsyncHTTPClient
import Foundation
import SluiceTesting
import Testing

/// CORS preflight through the live gateway for resources that do not list OPTIONS.
@Suite(.timeLimit(.minutes(1))) struct CORSPreflightLiveTests {
    @Test func thePreflightOfAResourceWithoutOptionsIsAnsweredByTheCORSHandler() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        // POST /order does not list OPTIONS; no token is sent and the backend is never called.
        let preflight = try await fixture.call(
            .OPTIONS, "/order",
            headers: [("Origin", "https://shop.example"), ("Access-Control-Request-Method", "POST")]
        )
        #expect(preflight.status == 200)
        #expect(preflight.header("Access-Control-Allow-Origin") == "https://shop.example")
        #expect(preflight.header("Access-Control-Allow-Methods") == "GET,POST")
        #expect(preflight.header("Access-Control-Allow-Headers") == "authorization,Content-Type")
        // A plain OPTIONS call to such a resource is answered the same way, as WSO2 does.
        let plain = try await fixture.call(.OPTIONS, "/public/info", headers: [("Origin", "https://shop.example")])
        #expect(plain.status == 200)
        #expect(plain.header("Access-Control-Allow-Origin") == "https://shop.example")
        // A path no resource takes stays 900906.
        let unknown = try await fixture.call(
            .OPTIONS, "/nothing", accept: "application/json",
            headers: [("Origin", "https://shop.example"), ("Access-Control-Request-Method", "GET")]
        )
        #expect(unknown.status == 403)
        #expect(unknown.body.contains(#""code":900906"#))
        #expect(fixture.backend.recordedRequests.isEmpty)
    }

    /// Synapse's `Resource.sendOptions`: without a handler to answer, an OPTIONS request to a resource that does
    /// not list OPTIONS gets 200 with `Allow`, and the backend is not called.
    @Test func withoutHandlersOptionsOnAResourceWithoutItGetsAllow() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: [
            "api/plain.xml": Artifact.api(
                name: "plain", context: "/plain",
                resources: Artifact.passthrough(methods: "GET POST", endpoint: Artifact.address(backend.baseURL))
            )
        ])
        defer { gateway.stopInBackground() }
        let response = try await HTTPClient.shared.send(
            .OPTIONS, gateway.baseURL + "/plain/x",
            headers: [("Origin", "https://shop.example"), ("Access-Control-Request-Method", "GET"), ("Accept", "application/json")]
        )
        #expect(response.status == 200)
        #expect(response.header("Allow") == "GET, POST")
        #expect(response.body.isEmpty)
        #expect(backend.recordedRequests.isEmpty)
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/plain/x").status == 200)
    }
}
