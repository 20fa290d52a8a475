import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing

/// The failure and CORS sequences in the form WSO2 API Manager 4.x ships them (the answer is built by the
/// sequence from the properties the handlers set, not by the handler), through the live gateway with real tokens.
/// The sequences below are written for these tests after the behaviour WSO2 documents: a failure sequence builds a
/// `{"code","message","description"}` body (a SOAP 1.1 fault for SOAP requests), takes its status from
/// `HTTP_RESPONSE_STATUS_CODE` (401 when unset), and ends by running `_cors_request_handler_`, which copies the CORS
/// handler's properties into headers.
@Suite(.timeLimit(.minutes(1))) struct WSO2FailureSequencesLiveTests {
    static let authFailureHandler = """
        <filter source="get-property('MESSAGE_FORMAT')" regex="soap1[1-2]">
          <then>
            <property name="SOAP_FAULT_CODE" value="Client"/>
            <makefault version="soap11"><code expression="$ctx:SOAP_FAULT_CODE"/><reason value="Authentication Failure"/>
              <detail expression="$ctx:ERROR_MESSAGE"/></makefault>
          </then>
          <else>
            <payloadFactory media-type="json"><format>{"code":"$1","message":"$2","description":"$3"}</format>
              <args><arg expression="$ctx:ERROR_CODE"/><arg expression="$ctx:ERROR_MESSAGE"/>
                <arg expression="$ctx:ERROR_DETAIL"/></args></payloadFactory>
            <filter source="$axis2:HTTP_METHOD" regex="^(?!.*(POST|PUT|PATCH)).*$">
              <property name="messageType" value="application/json" scope="axis2"/>
            </filter>
          </else>
        </filter>
        <filter xpath="$ctx:HTTP_RESPONSE_STATUS_CODE">
          <then><property name="HTTP_SC" expression="$ctx:HTTP_RESPONSE_STATUS_CODE" scope="axis2"/></then>
          <else><property name="HTTP_SC" value="401" scope="axis2"/></else>
        </filter>
        <property name="RESPONSE" value="true"/>
        <header name="To" action="remove"/>
        <property name="Authorization" scope="transport" action="remove"/>
        <sequence key="_cors_request_handler_"/>
        """

    static let throttleOutHandler = """
        <filter source="boolean(get-property('NEXT_ACCESS_UTC_TIME'))" regex="true">
          <then>
            <payloadFactory media-type="json">
              <format>{"code":"$1","message":"$2","description":"$3","nextAccessTime":"$4"}</format>
              <args><arg expression="$ctx:ERROR_CODE"/><arg expression="$ctx:ERROR_MESSAGE"/>
                <arg expression="$ctx:ERROR_DETAIL"/><arg expression="$ctx:NEXT_ACCESS_UTC_TIME"/></args>
            </payloadFactory>
          </then>
          <else>
            <payloadFactory media-type="json"><format>{"code":"$1"}</format>
              <args><arg expression="$ctx:ERROR_CODE"/></args></payloadFactory>
          </else>
        </filter>
        <filter source="$axis2:HTTP_METHOD" regex="^(?!.*(POST|PUT|PATCH)).*$">
          <property name="messageType" value="application/json" scope="axis2"/>
        </filter>
        <property name="RESPONSE" value="true"/>
        <sequence key="_cors_request_handler_"/>
        """

    /// Copies the CORS handler's properties into response headers unless the message already has them.
    static let corsRequestHandler = """
        <filter source="$ctx:CORSConfiguration.Enabled" regex="true">
          <then>
            <filter source="boolean($trp:Access-Control-Allow-Origin)" regex="false">
              <then><property name="Access-Control-Allow-Origin" expression="$ctx:Access-Control-Allow-Origin" scope="transport"/></then>
            </filter>
            <filter source="boolean($trp:Access-Control-Allow-Methods) = false and $ctx:REST_METHOD = 'OPTIONS'" regex="true">
              <then><property name="Access-Control-Allow-Methods" expression="$ctx:Access-Control-Allow-Methods" scope="transport"/></then>
            </filter>
            <filter source="boolean($ctx:Access-Control-Allow-Credentials)" regex="true">
              <then><property name="Access-Control-Allow-Credentials" expression="$ctx:Access-Control-Allow-Credentials" scope="transport"/></then>
            </filter>
          </then>
        </filter>
        """

    static let sequences = [
        "_auth_failure_handler_": authFailureHandler,
        "_throttle_out_handler_": throttleOutHandler,
        "_cors_request_handler_": corsRequestHandler,
    ]

    @Test func authenticationFailuresAreAnsweredByTheSequenceWithTheHandlersStatus() async throws {
        let fixture = try await APIManagerFixture.start(sequences: Self.sequences)
        defer { fixture.stopInBackground() }
        let origin = ("Origin", "https://shop.example")
        let missing = try await fixture.call(headers: [origin])
        #expect(missing.status == 401)
        #expect(missing.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(
            missing.body
                == #"{"code":"900902","message":"Missing Credentials","description":"Missing Credentials. "#
                + #"Make sure your API invocation call has a header: \"Authorization : Bearer ACCESS_TOKEN\""}"#
        )
        // Headers written by _cors_request_handler_ from the CORS handler's properties (the handler writes none).
        #expect(missing.header("Access-Control-Allow-Origin") == "https://shop.example")
        #expect(missing.header("Access-Control-Allow-Credentials") == "true")
        #expect(missing.header("Access-Control-Allow-Methods") == nil)
        #expect(missing.header("Vary") == nil)

        // A 403 failure keeps its status: the sequence reads HTTP_RESPONSE_STATUS_CODE.
        let unsubscribed = try await fixture.application("Unsubscribed", subscription: nil)
        let forbidden = try await fixture.call(token: unsubscribed.token)
        #expect(forbidden.status == 403, "\(forbidden.body)")
        #expect(forbidden.body.hasPrefix(#"{"code":"900908","message":"Resource forbidden","#))

        // A SOAP request gets the sequence's SOAP 1.1 fault: MESSAGE_FORMAT of the answer is the request's.
        let soap = try await HTTPClient.shared.send(
            .POST, fixture.gateway.baseURL + "/pizzashack/1.0.0/order",
            headers: [("Content-Type", "text/xml"), ("SOAPAction", "urn:order")],
            body: #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><order/></s:Body></s:Envelope>"#
        )
        #expect(soap.status == 401)
        #expect(soap.header("Content-Type")?.hasPrefix("text/xml") == true)
        #expect(soap.body.contains("<faultcode>soapenv:Client</faultcode><faultstring>Authentication Failure</faultstring>"))
        #expect(soap.body.contains("<detail>Missing Credentials</detail>"))
        #expect(fixture.backend.recordedRequests.isEmpty)
    }

    @Test func throttleOutIsAnsweredByTheSequenceWithTheNextAccessTime() async throws {
        let fixture = try await APIManagerFixture.start(sequences: Self.sequences)
        defer { fixture.stopInBackground() }
        let bronze = try await fixture.application("Bronze", subscription: "Bronze")
        let first = try await fixture.call(token: bronze.token)
        #expect(first.status == 200, "\(first.body)")
        let refused = try await fixture.call(token: bronze.token, headers: [("Origin", "https://shop.example")])
        #expect(refused.status == 429)
        #expect(refused.header("Retry-After") == "60")
        #expect(
            refused.body
                == #"{"code":"900804","message":"Message throttled out","description":"You have exceeded your quota","#
                + #""nextAccessTime":"2020-Jan-08 16:59:00+0000 UTC"}"#
        )
        #expect(refused.header("Access-Control-Allow-Origin") == "https://shop.example")
    }

    @Test func theCORSSequenceWritesThePreflightAndResponseHeadersSoEditingItChangesThem() async throws {
        // Only the origin and a marker: the handler's methods and headers lists no longer reach the client.
        let edited = """
            <property name="Access-Control-Allow-Origin" expression="$ctx:Access-Control-Allow-Origin" scope="transport"/>
            <header name="X-CORS-Sequence" value="ran" scope="transport"/>
            """
        let fixture = try await APIManagerFixture.start(sequences: ["_cors_request_handler_": edited])
        defer { fixture.stopInBackground() }
        let preflight = try await fixture.call(
            .OPTIONS,
            headers: [("Origin", "https://shop.example"), ("Access-Control-Request-Method", "GET")]
        )
        #expect(preflight.status == 200)
        #expect(preflight.header("X-CORS-Sequence") == "ran")
        #expect(preflight.header("Access-Control-Allow-Origin") == "https://shop.example")
        #expect(preflight.header("Access-Control-Allow-Methods") == nil)
        #expect(preflight.header("Access-Control-Allow-Headers") == nil)
        let app = try await fixture.application("Shop")
        let ok = try await fixture.call(token: app.token, headers: [("Origin", "https://elsewhere.example")])
        #expect(ok.status == 200)
        #expect(ok.header("X-CORS-Sequence") == "ran")
        // An origin the handler does not allow leaves the property unset, so the sequence writes no origin.
        #expect(ok.header("Access-Control-Allow-Origin") == nil)
        #expect(fixture.backend.recordedRequests.count == 1)

        // Without the sequence the handler writes every header itself.
        let bare = try await APIManagerFixture.start()
        defer { bare.stopInBackground() }
        let plain = try await bare.call(
            .OPTIONS,
            headers: [("Origin", "https://shop.example"), ("Access-Control-Request-Method", "GET")]
        )
        #expect(plain.header("Access-Control-Allow-Methods") == "GET,POST")
        #expect(plain.header("Access-Control-Allow-Headers") == "authorization,Content-Type")
        #expect(plain.header("X-CORS-Sequence") == nil)
    }
}
