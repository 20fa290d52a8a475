import AsyncHTTPClient
import Foundation
import NIOHTTP1
import SluiceModel
import Testing

/// The named sequences WSO2's handlers run (`_auth_failure_handler_`, `_throttle_out_handler_`, the extension
/// sequences), through the live gateway with real tokens.
@Suite(.timeLimit(.minutes(1))) struct HandlerSequencesLiveTests {
    static let missingCredentialsJSON =
        #"{"fault":{"code":900902,"message":"Missing Credentials","description":"Missing Credentials. "#
        + #"Make sure your API invocation call has a header: \"Authorization : Bearer ACCESS_TOKEN\""}}"#

    /// The sequences this repository ships in repository/deployment/server/synapse-configs/default/sequences.
    static func shippedSequence(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = root.appendingPathComponent("repository/deployment/server/synapse-configs/default/sequences/\(name).xml")
        let text = try String(contentsOf: file, encoding: .utf8)
        let start = try #require(text.range(of: "<sequence"))
        let open = try #require(text[start.lowerBound...].range(of: ">"))
        let close = try #require(text.range(of: "</sequence>", options: .backwards))
        return String(text[open.upperBound..<close.lowerBound])
    }

    @Test func aCustomAuthFailureHandlerAnswersWithItsOwnStatusHeadersAndBody() async throws {
        let fixture = try await APIManagerFixture.start(sequences: [
            "_auth_failure_handler_": """
                <property name="HTTP_SC" value="418" scope="axis2"/>
                <header name="X-Auth-Failure" expression="get-property('ERROR_CODE')" scope="transport"/>
                <payloadFactory media-type="json"><format>{"error":"$1","detail":"$2"}</format>
                  <args><arg expression="get-property('ERROR_MESSAGE')"/><arg expression="get-property('ERROR_CODE')"/></args>
                </payloadFactory>
                <respond/>
                """
        ])
        defer { fixture.stopInBackground() }
        let refused = try await fixture.call(headers: [("Origin", "https://shop.example")])
        #expect(refused.status == 418)
        #expect(refused.header("X-Auth-Failure") == "900902")
        #expect(refused.body == #"{"error":"Missing Credentials","detail":"900902"}"#)
        // The handlers before authentication still see the answer.
        #expect(refused.header("Access-Control-Allow-Origin") == "https://shop.example")
        let invalid = try await fixture.call(token: "not-a-token")
        #expect(invalid.status == 418)
        #expect(invalid.body == #"{"error":"Invalid Credentials","detail":"900901"}"#)
        // A blocked API answers through the same sequence.
        let app = try await fixture.application("Blocked")
        fixture.statuses.setState(.blocked, context: "/pizzashack", version: "1.0.0")
        let blocked = try await fixture.call(token: app.token)
        #expect(blocked.status == 418)
        #expect(blocked.body == #"{"error":"The requested API is temporarily blocked","detail":"900907"}"#)
        fixture.statuses.setState(.published, context: "/pizzashack", version: "1.0.0")
        #expect(try await fixture.call(token: app.token).status == 200)
        #expect(fixture.backend.recordedRequests.count == 1)
    }

    @Test func aThrottleOutHandlerThatFallsThroughKeepsWSO2sAnswerWithItsChanges() async throws {
        let fixture = try await APIManagerFixture.start(sequences: [
            "_throttle_out_handler_": """
                <header name="X-Throttled-Code" expression="get-property('ERROR_CODE')" scope="transport"/>
                <header name="X-Throttled-Detail" expression="get-property('ERROR_DETAIL')" scope="transport"/>
                """
        ])
        defer { fixture.stopInBackground() }
        let bronze = try await fixture.application("Bronze", subscription: "Bronze")
        #expect(try await fixture.call(token: bronze.token).status == 200)
        let refused = try await fixture.call(token: bronze.token, accept: "application/json")
        #expect(refused.status == 429)
        #expect(refused.header("Retry-After") == "60")
        #expect(refused.header("X-Throttled-Code") == "900804")
        #expect(refused.header("X-Throttled-Detail") == "You have exceeded your quota")
        #expect(
            refused.body
                == #"{"fault":{"code":900804,"message":"Message throttled out","description":"You have exceeded your quota","#
                + #""nextAccessTime":"2020-Jan-08 16:59:00+0000 UTC"}}"#
        )
    }

    @Test func aThrottleOutHandlerCanReplaceTheAnswer() async throws {
        let fixture = try await APIManagerFixture.start(sequences: [
            "_throttle_out_handler_": """
                <property name="HTTP_SC" value="503" scope="axis2"/>
                <payloadFactory media-type="json"><format>{"slowDown":$1}</format>
                  <args><arg expression="get-property('ERROR_CODE')"/></args></payloadFactory>
                <respond/>
                """
        ])
        defer { fixture.stopInBackground() }
        let bronze = try await fixture.application("Bronze", subscription: "Bronze")
        #expect(try await fixture.call(token: bronze.token).status == 200)
        let refused = try await fixture.call(token: bronze.token)
        #expect(refused.status == 503)
        #expect(refused.body == #"{"slowDown":900804}"#)
    }

    @Test func withoutTheSequencesOrWithTheShippedOnesTheDefaultAnswersAreUnchanged() async throws {
        let shipped = try await APIManagerFixture.start(sequences: [
            "_auth_failure_handler_": try Self.shippedSequence("_auth_failure_handler_"),
            "_throttle_out_handler_": try Self.shippedSequence("_throttle_out_handler_"),
        ])
        defer { shipped.stopInBackground() }
        let bare = try await APIManagerFixture.start()
        defer { bare.stopInBackground() }
        for fixture in [shipped, bare] {
            let json = try await fixture.call(accept: "application/json")
            #expect(json.status == 401)
            #expect(json.body == Self.missingCredentialsJSON)
            #expect(json.header("WWW-Authenticate")?.hasPrefix("OAuth2 realm=\"WSO2 API Manager\"") == true)
            let xml = try await fixture.call(token: "nope", accept: "application/xml")
            #expect(xml.status == 401)
            #expect(xml.body.hasPrefix(#"<ams:fault xmlns:ams="http://wso2.org/apimanager/security"><ams:code>900901"#))
            let bronze = try await fixture.application("Bronze", subscription: "Bronze")
            #expect(try await fixture.call(token: bronze.token).status == 200)
            let throttled = try await fixture.call(token: bronze.token, accept: "application/xml")
            #expect(throttled.status == 429)
            #expect(throttled.body.hasPrefix(#"<amt:fault xmlns:amt="http://wso2.org/apimanager/throttling"><amt:code>900804"#))
            #expect(throttled.header("Retry-After") == "60")
        }
    }

    @Test func extensionSequencesRunGlobalThenPerAPIOnRequestAndResponse() async throws {
        let fixture = try await APIManagerFixture.start(sequences: [
            "WSO2AM--Ext--In": """
                <property name="ext.order" value="global"/>
                <header name="X-Ext-Global" value="in" scope="transport"/>
                """,
            "admin--PizzaShackAPI:v1.0.0--In": """
                <header name="X-Ext-API" expression="get-property('ext.order')" scope="transport"/>
                """,
            "WSO2AM--Ext--Out": #"<header name="X-Ext-Out" value="global" scope="transport"/>"#,
            "admin--PizzaShackAPI:v1.0.0--Out": """
                <header name="X-Ext-API-Out" expression="get-property('api.ut.api')" scope="transport"/>
                """,
        ])
        defer { fixture.stopInBackground() }
        let app = try await fixture.application("Extended")
        let response = try await fixture.call(token: app.token, headers: [("Origin", "https://shop.example")])
        #expect(response.status == 200)
        #expect(response.header("X-Ext-Out") == "global")
        #expect(response.header("X-Ext-API-Out") == "admin--PizzaShackAPI")
        #expect(response.header("Access-Control-Allow-Origin") == "https://shop.example")
        let seen = try #require(fixture.backend.recordedRequests.first)
        #expect(seen.header("X-Ext-Global") == "in")
        #expect(seen.header("X-Ext-API") == "global")
        // A refused call never reaches the extension handler: it comes after authentication.
        let refused = try await fixture.call()
        #expect(refused.status == 401)
        #expect(refused.header("X-Ext-Out") == nil)
    }

    @Test func extensionSequencesThatReadBodiesGetThemBuffered() async throws {
        let fixture = try await APIManagerFixture.start(sequences: [
            "WSO2AM--Ext--In": """
                <filter source="$trp:Content-Type" regex="application/json.*">
                  <then>
                    <property name="item" expression="json-eval($.item)"/>
                    <header name="X-Item" expression="get-property('item')" scope="transport"/>
                  </then>
                </filter>
                """,
            "WSO2AM--Ext--Out": """
                <filter source="$trp:Content-Type" regex="application/json.*">
                  <then>
                    <property name="said" expression="json-eval($.backend)"/>
                    <header name="X-Backend-Said" expression="get-property('said')" scope="transport"/>
                  </then>
                </filter>
                """,
        ])
        defer { fixture.stopInBackground() }
        let writer = try await fixture.application("Writer", scopes: ["order:write"])
        let body = #"{"item":"margherita","count":2}"#
        let order = try await HTTPClient.shared.send(
            .POST, fixture.gateway.baseURL + "/pizzashack/1.0.0/order",
            headers: [("Authorization", "Bearer " + writer.token), ("Content-Type", "application/json")], body: body
        )
        #expect(order.status == 200)
        #expect(order.body == body)
        let seen = try #require(fixture.backend.recordedRequests.last)
        #expect(seen.header("X-Item") == "margherita")
        #expect(seen.bodyByteCount == body.utf8.count)
        let json = try await fixture.call(.GET, "/public/json")
        #expect(json.status == 200)
        #expect(json.header("X-Backend-Said") == "backend")
        #expect(json.body == #"{"backend":"backend","ok":true}"#)
    }

    @Test func anAuthFailureHandlerThatDropsAnswersAnEmpty202() async throws {
        let fixture = try await APIManagerFixture.start(sequences: ["_auth_failure_handler_": "<drop/>"])
        defer { fixture.stopInBackground() }
        let dropped = try await fixture.call(accept: "application/json")
        #expect(dropped.status == 202)
        #expect(dropped.body.isEmpty)
        #expect(fixture.backend.recordedRequests.isEmpty)
    }

    @Test func anExtensionInSequenceThatRespondsStopsTheCall() async throws {
        let fixture = try await APIManagerFixture.start(sequences: [
            "admin--PizzaShackAPI:v1.0.0--In": """
                <filter source="$trp:X-Maintenance" regex="on">
                  <then>
                    <property name="HTTP_SC" value="503" scope="axis2"/>
                    <payloadFactory media-type="json"><format>{"maintenance":true}</format><args/></payloadFactory>
                    <respond/>
                  </then>
                </filter>
                """
        ])
        defer { fixture.stopInBackground() }
        let app = try await fixture.application("Maintained")
        let stopped = try await fixture.call(token: app.token, headers: [("X-Maintenance", "on")])
        #expect(stopped.status == 503)
        #expect(stopped.body == #"{"maintenance":true}"#)
        #expect(fixture.backend.recordedRequests.isEmpty)
        #expect(try await fixture.call(token: app.token).status == 200)
        #expect(fixture.backend.recordedRequests.count == 1)
    }
}
