import AsyncHTTPClient
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// Backend failures and their faults: 101503, 101504, 101505, 303001, fault sequences, SOAP faults.
@Suite(.timeLimit(.minutes(1))) struct FaultHandlingTests {
    @Test func refusedConnectionIs101503AndThenTheEndpointIsSuspended() async throws {
        let dead = try DeadPort()
        let endpoint = Artifact.address(
            dead.baseURL,
            qos: "<suspendOnFailure><errorCodes>101503</errorCodes><initialDuration>60000</initialDuration></suspendOnFailure>"
        )
        let gateway = try await GatewayHarness.start(files: [
            "api/dead.xml": Artifact.api(name: "dead", context: "/dead", resources: Artifact.passthrough(endpoint: endpoint))
        ])
        defer { gateway.stopInBackground() }
        let refused = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/dead/x", headers: [("Accept", "application/json")])
        #expect(refused.status >= 500)
        #expect(refused.body.contains("101503"))
        let suspended = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/dead/x", headers: [("Accept", "application/json")])
        #expect(suspended.body.contains("303001"))
        // The reserved port must stay reserved until the gateway is gone.
        withExtendedLifetime(dead) {}
    }

    @Test func suspensionEndsOnTheInjectedClock() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        backend.setDown(true)
        let clock = ManualDeadlineClock()
        let endpoint = Artifact.address(
            backend.baseURL,
            qos: "<suspendOnFailure><errorCodes>101505</errorCodes><initialDuration>60000</initialDuration></suspendOnFailure>"
        )
        let gateway = try await GatewayHarness.start(
            files: ["api/s.xml": Artifact.api(name: "s", context: "/s", resources: Artifact.passthrough(endpoint: endpoint))],
            now: clock.now
        )
        defer { gateway.stopInBackground() }
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/s/json").body.contains("101505"))
        backend.setDown(false)
        // Still suspended: the backend is back, but a minute has not passed on the gateway's clock.
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/s/json").body.contains("303001"))
        clock.advance(by: .seconds(61))
        let recovered = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/s/json")
        #expect(recovered.status == 200)
        #expect(recovered.body.contains("\"ok\":true"))
    }

    @Test func aDeployedFaultSequenceHandlesResourcesWithoutTheirOwn() async throws {
        let dead = try DeadPort()
        let url = dead.baseURL
        let fault = """
            <sequence xmlns="http://ws.apache.org/ns/synapse" name="fault">
              <property name="HTTP_SC" value="502" scope="axis2"/>
              <payloadFactory media-type="json"><format>{"gatewayFault":$1}</format>
                <args><arg expression="get-property('ERROR_CODE')"/></args></payloadFactory>
              <respond/>
            </sequence>
            """
        let gateway = try await GatewayHarness.start(files: [
            "sequences/fault.xml": fault,
            "api/g.xml": Artifact.api(
                name: "g", context: "/g",
                resources: Artifact.passthrough(endpoint: Artifact.address(url), extra: #"faultSequence="fault""#)
            ),
            "api/h.xml": Artifact.api(name: "h", context: "/h", resources: Artifact.passthrough(endpoint: Artifact.address(url))),
        ])
        defer { gateway.stopInBackground() }
        for path in ["/g/x", "/h/x"] {
            let response = try await HTTPClient.shared.send(.GET, gateway.baseURL + path)
            #expect(response.status == 502)
            #expect(response.body == #"{"gatewayFault":101503}"#)
        }
        // The reserved port must stay reserved until the gateway is gone.
        withExtendedLifetime(dead) {}
    }

    @Test func slowBackendTimesOutWith101504() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let endpoint = Artifact.address(
            backend.baseURL, qos: "<timeout><duration>150</duration><responseAction>fault</responseAction></timeout>"
        )
        let gateway = try await GatewayHarness.start(files: [
            "api/slow.xml": Artifact.api(name: "slow", context: "/slow", resources: Artifact.passthrough(endpoint: endpoint))
        ])
        defer { gateway.stopInBackground() }
        // The backend would answer 200 after 10 minutes, far past the suite's limit: only the timeout answers.
        let response = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/slow/delay/600000")
        #expect(response.status >= 500)
        #expect(response.body.contains("101504"))
    }

    @Test func responseTimeoutsHoldOnReusedBackendConnections() async throws {
        // The backend connection keeps one timer across exchanges; a short timeout after a long one, and a
        // slow answer after a fast one, must both still time out on time. The timer itself is tested on virtual
        // time (UpstreamConnectionChannelTests); here the long timeout and the slow answer are 10 minutes, far
        // past the suite's limit, so only the short timeout can answer, and the short one (2 s) is far above
        // what a quick answer takes on a loaded machine.
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        func api(_ name: String, milliseconds: Int) -> String {
            let qos = "<timeout><duration>\(milliseconds)</duration><responseAction>fault</responseAction></timeout>"
            return Artifact.api(
                name: name, context: "/\(name)",
                resources: Artifact.passthrough(endpoint: Artifact.address(backend.baseURL, qos: qos))
            )
        }
        let gateway = try await GatewayHarness.start(files: [
            "api/long.xml": api("long", milliseconds: 600_000), "api/short.xml": api("short", milliseconds: 2_000),
        ])
        defer { gateway.stopInBackground() }
        // (Once: a timeout suspends the short endpoint, as Synapse does.)
        let fast = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/long/delay/10")
        #expect(fast.status == 200)
        let quick = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/short/delay/20")
        #expect(quick.status == 200)
        let slow = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/short/delay/600000")
        #expect(slow.body.contains("101504"))
    }

    @Test func backendClosingMidResponse() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: [
            "api/stream.xml": Artifact.api(
                name: "stream", context: "/stream", resources: Artifact.passthrough(endpoint: Artifact.address(backend.baseURL))
            ),
            "api/buffered.xml": Artifact.api(
                name: "buffered", context: "/buffered",
                resources: Artifact.passthrough(
                    endpoint: Artifact.address(backend.baseURL), outSequence: Artifact.bodyReader + "<send/>"
                )
            ),
        ])
        defer { gateway.stopInBackground() }
        // Streaming: the head already went out, so the client sees the connection cut short.
        await #expect(throws: (any Error).self) {
            _ = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/stream/close-mid-response")
        }
        // Buffered for the out sequence: nothing went out yet, so the client gets fault 101505.
        let buffered = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/buffered/close-mid-response")
        #expect(buffered.status >= 500)
        #expect(buffered.body.contains("101505"))
        // The gateway is fine afterwards.
        let ok = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/stream/json")
        #expect(ok.status == 200)
    }

    @Test func faultSequenceAnswersAndSOAPRequestsGetSOAPFaults() async throws {
        let dead = try DeadPort()
        let url = dead.baseURL
        let custom = """
            <resource methods="GET" url-mapping="/builtin" faultSequence="fault">
              <inSequence><send>\(Artifact.address(url))</send></inSequence>
            </resource>
            <resource methods="GET" url-mapping="/custom">
              <inSequence><send>\(Artifact.address(url))</send></inSequence>
              <faultSequence>
                <property name="HTTP_SC" value="503" scope="axis2"/>
                <payloadFactory media-type="json"><format>{"failed":"$1"}</format>
                  <args><arg expression="get-property('ERROR_CODE')"/></args></payloadFactory>
                <respond/>
              </faultSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/f.xml": Artifact.api(
                name: "f", context: "/f",
                resources: custom + Artifact.passthrough(methods: "POST", mapping: #"url-mapping="/soap""#, endpoint: Artifact.address(url))
            )
        ])
        defer { gateway.stopInBackground() }
        // faultSequence="fault" with no `fault` sequence deployed means the built-in handling, as in WSO2.
        let builtin = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/f/builtin")
        #expect(builtin.body.contains("<am:code>101503</am:code>"))
        let handled = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/f/custom")
        #expect(handled.status == 503)
        #expect(handled.body == #"{"failed":"101503"}"#)
        let soap = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/f/soap",
            headers: [("Content-Type", "text/xml"), ("SOAPAction", "urn:getQuote")],
            body: #"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>"#
        )
        #expect(soap.body.contains("soapenv:Fault"))
        #expect(soap.body.contains("101503"))
        #expect(soap.header("Content-Type")?.hasPrefix("text/xml") == true)
        // The reserved port must stay reserved until the gateway is gone.
        withExtendedLifetime(dead) {}
    }
}
