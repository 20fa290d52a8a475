import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `main` and `fault` in the form WSO2 API Manager 4.x ships them (written for this test after that behaviour):
/// `main` answers the health check on `/` from axis2 `TransportInURL` and a JSON 404 otherwise, inside `<in>`;
/// `fault` builds a JSON runtime fault and takes its status from `CUSTOM_HTTP_SC` through `<filter xpath>`;
/// `_resource_mismatch_handler_` only runs `fault`.
@Suite(.timeLimit(.minutes(1))) struct WSO2MainAndFaultSequencesLiveTests {
    static let main = """
        <sequence xmlns="http://ws.apache.org/ns/synapse" name="main">
          <in>
            <filter source="$axis2:TransportInURL" regex="/">
              <payloadFactory media-type="xml"><format><html xmlns=""><body><h1>Welcome</h1></body></html></format><args/></payloadFactory>
              <property name="messageType" value="text/html" scope="axis2"/>
              <respond/>
            </filter>
            <payloadFactory media-type="json">
              <format>{"code":"404","type":"Status report","message":"Not Found","description":"$1"}</format>
              <args><arg expression="$axis2:TransportInURL"/></args>
            </payloadFactory>
            <property name="HTTP_SC" value="404" scope="axis2"/>
            <property name="RESPONSE" value="true"/>
            <header name="To" action="remove"/>
            <send/>
            <drop/>
          </in>
          <out><send/></out>
        </sequence>
        """

    static let fault = """
        <sequence xmlns="http://ws.apache.org/ns/synapse" name="fault">
          <payloadFactory media-type="json">
            <format>{"code":"$1","type":"Status report","message":"Runtime Error","description":"$2"}</format>
            <args><arg expression="$ctx:ERROR_CODE"/><arg expression="$ctx:ERROR_MESSAGE"/></args>
          </payloadFactory>
          <filter xpath="$ctx:CUSTOM_HTTP_SC">
            <then><property name="HTTP_SC" expression="$ctx:CUSTOM_HTTP_SC" scope="axis2"/></then>
            <else><property name="HTTP_SC" value="500" scope="axis2"/></else>
          </filter>
          <property name="RESPONSE" value="true"/>
          <header name="To" action="remove"/>
          <send/>
        </sequence>
        """

    @Test func healthCheckNotFoundAndRuntimeFaultsAnswerAsTheSequencesSay() async throws {
        let dead = try DeadPort()
        let endpoint = Artifact.address(dead.baseURL)
        let resources = """
            <resource methods="GET" url-mapping="/custom">
              <inSequence><property name="CUSTOM_HTTP_SC" value="503"/><send>\(endpoint)</send></inSequence>
            </resource>
            <resource methods="GET" url-mapping="/plain">
              <inSequence><send>\(endpoint)</send></inSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/down.xml": Artifact.api(name: "down", context: "/down", resources: resources),
            "sequences/main.xml": Self.main,
            "sequences/fault.xml": Self.fault,
            // WSO2 4.x's stock resource-mismatch sequence: it only runs `fault`.
            "sequences/_resource_mismatch_handler_.xml":
                #"<sequence xmlns="http://ws.apache.org/ns/synapse" name="_resource_mismatch_handler_"><sequence key="fault"/></sequence>"#,
        ])
        defer { gateway.stopInBackground() }

        let health = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/")
        #expect(health.status == 200)
        #expect(health.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(health.body.contains("<h1>Welcome</h1>"))

        let missing = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/nowhere/x?y=1")
        #expect(missing.status == 404)
        #expect(missing.body == #"{"code":"404","type":"Status report","message":"Not Found","description":"/nowhere/x?y=1"}"#)

        // The status comes from CUSTOM_HTTP_SC when the flow set it (a filter xpath over a text property).
        let custom = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/down/custom")
        #expect(custom.status == 503)
        #expect(custom.body.hasPrefix(#"{"code":"101503","type":"Status report","message":"Runtime Error""#))
        let plain = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/down/plain")
        #expect(plain.status == 500)
        let mismatch = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/down/unknown")
        #expect(mismatch.status == 500)
        #expect(
            mismatch.body
                == #"{"code":"900906","type":"Status report","message":"Runtime Error","#
                + #""description":"No matching resource found in the API for the given request"}"#
        )
        withExtendedLifetime(dead) {}
    }
}
