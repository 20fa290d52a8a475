import AsyncHTTPClient
import Foundation
import SluiceTesting
import Testing

/// What the live gateway answers when dispatch does not reach an in-sequence, as Synapse's `API.process` and
/// `Resource.sendOptions` and WSO2's default sequences answer.
@Suite(.timeLimit(.minutes(1))) struct DispatchAnswersLiveTests {
    private static func pets(_ backend: TestHTTPBackend) -> String {
        Artifact.api(
            name: "pets", context: "/pets",
            resources: """
                <resource methods="GET" uri-template="/pets/{id}">
                  <inSequence><respond/></inSequence>
                </resource>
                <resource methods="POST PUT" url-mapping="/pets">
                  <inSequence><respond/></inSequence>
                </resource>
                <resource methods="PATCH" url-mapping="/upload" content-type="application/xml">
                  <inSequence><respond/></inSequence>
                </resource>
                """
                + Artifact.passthrough(methods: "GET", mapping: #"url-mapping="/search""#, endpoint: Artifact.address(backend.baseURL))
        )
    }

    @Test func missesAre900906Or405Or400AndOptionsGetsAllow() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: ["api/pets.xml": Self.pets(backend)])
        defer { gateway.stopInBackground() }
        let base = gateway.baseURL + "/pets"

        // No resource has the path: WSO2's 900906 with HTTP 403.
        let mismatch = try await HTTPClient.shared.send(.GET, base + "/cats/1", headers: [("Accept", "application/json")])
        #expect(mismatch.status == 403)
        #expect(mismatch.body.contains(#""code":900906"#))

        // Another method has the path: 405 with Allow.
        let wrongMethod = try await HTTPClient.shared.send(.DELETE, base + "/pets/7")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow") == "GET")
        #expect(wrongMethod.body.isEmpty)
        #expect(try await HTTPClient.shared.send(.GET, base + "/pets").header("Allow") == "POST, PUT")

        // The path and method are there but the content-type filter refuses, and no other resource takes PATCH:
        // Synapse's bare 400.
        let filtered = try await HTTPClient.shared.send(
            .PATCH, base + "/upload", headers: [("Content-Type", "application/json")], body: "{}"
        )
        #expect(filtered.status == 400)
        #expect(filtered.body.isEmpty)

        // OPTIONS to a resource that does not list it, with no handler to answer: 200 with Allow.
        let options = try await HTTPClient.shared.send(.OPTIONS, base + "/pets/7")
        #expect(options.status == 200)
        #expect(options.header("Allow") == "GET")

        // A query value Synapse cannot decode is refused before the backend is called (a raw request: HTTP
        // clients will not send a malformed escape).
        let malformed = try await RawHTTPClient.exchange(
            "GET /pets/search?q=50% HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nConnection: close\r\n\r\n",
            port: gateway.port
        )
        #expect(malformed.text.hasPrefix("HTTP/1.1 400"))
        #expect(malformed.text.contains("due to an error in the request sent by the client"))
        #expect(backend.recordedRequests.isEmpty)
        #expect(try await HTTPClient.shared.send(.GET, base + "/search?q=50%25").status == 200)

    }

    @Test func deployedMismatchAndMethodSequencesShapeTheAnswer() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        // A user's _resource_mismatch_handler_ in the shape WSO2's documentation shows: its own 404 payload.
        let mismatchHandler = """
            <sequence xmlns="http://ws.apache.org/ns/synapse" name="_resource_mismatch_handler_">
              <payloadFactory media-type="json">
                <format>{"missing":"$1","code":"$2"}</format>
                <args>
                  <arg expression="$axis2:REST_URL_POSTFIX"/>
                  <arg expression="get-property('ERROR_CODE')"/>
                </args>
              </payloadFactory>
              <property name="HTTP_SC" value="404" scope="axis2"/>
              <respond/>
            </sequence>
            """
        // A _method_not_allowed_handler_ that only adds a header keeps the default 405.
        let methodHandler = """
            <sequence xmlns="http://ws.apache.org/ns/synapse" name="_method_not_allowed_handler_">
              <header name="X-Handled" value="yes" scope="transport"/>
            </sequence>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/pets.xml": Self.pets(backend),
            "sequences/_resource_mismatch_handler_.xml": mismatchHandler,
            "sequences/_method_not_allowed_handler_.xml": methodHandler,
        ])
        defer { gateway.stopInBackground() }
        let mismatch = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/pets/cats/1")
        #expect(mismatch.status == 404)
        #expect(mismatch.body == #"{"missing":"/cats/1","code":"900906"}"#)
        let wrongMethod = try await HTTPClient.shared.send(.DELETE, gateway.baseURL + "/pets/pets/7")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("X-Handled") == "yes")
        #expect(wrongMethod.header("Allow") == "GET")
    }

    /// `hostname`/`port` on an API: without a port in Host the scheme's default (80) is compared, not the
    /// listener's port.
    @Test func hostAndPortFiltersUseTheSchemesDefaultPort() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let resources = Artifact.passthrough(methods: "GET", endpoint: Artifact.address(backend.baseURL))
        let gateway = try await GatewayHarness.start(files: [
            "api/on80.xml": Artifact.api(name: "on80", context: "/hosted", attributes: #"hostname="shop.example" port="80""#, resources: resources)
        ])
        defer { gateway.stopInBackground() }
        let url = gateway.baseURL + "/hosted/x"
        #expect(try await HTTPClient.shared.send(.GET, url, headers: [("Host", "shop.example")]).status == 200)
        #expect(try await HTTPClient.shared.send(.GET, url, headers: [("Host", "SHOP.example:80")]).status == 200)
        #expect(try await HTTPClient.shared.send(.GET, url, headers: [("Host", "shop.example:\(gateway.port)")]).status == 404)
        #expect(try await HTTPClient.shared.send(.GET, url, headers: [("Host", "other.example")]).status == 404)
    }
}
