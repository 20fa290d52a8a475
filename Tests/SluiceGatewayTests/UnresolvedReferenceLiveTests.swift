import AsyncHTTPClient
import SluiceTesting
import Testing

@testable import SluiceGateway

/// An API whose sequence names a sequence or endpoint nothing deployed defines deploys with a warning, as
/// Synapse deploys it; a request reaching the reference gets the fault sequence with Synapse's error, and
/// deploying the missing artifact later makes the API work without touching the API's file.
@Suite(.timeLimit(.minutes(1))) struct UnresolvedReferenceLiveTests {
    static let api = Artifact.api(
        name: "admin--Later",
        context: "/later",
        resources: """
            <resource methods="GET" url-mapping="/seq"><inSequence><sequence key="stamp"/><respond/></inSequence></resource>
            <resource methods="GET" url-mapping="/ep"><inSequence><send><endpoint key="LaterEP"/></send></inSequence>
              <outSequence><send/></outSequence></resource>
            <resource methods="GET" url-mapping="/handled" faultSequence="answerFault">
              <inSequence><sequence key="stamp"/><respond/></inSequence></resource>
            """
    )
    static let stamp = """
        <sequence xmlns="http://ws.apache.org/ns/synapse" name="stamp">
          <payloadFactory media-type="json"><format>{"stamped":true}</format><args/></payloadFactory>
        </sequence>
        """
    static let answerFault = """
        <sequence xmlns="http://ws.apache.org/ns/synapse" name="answerFault">
          <payloadFactory media-type="json"><format>{"code":"$1","message":"$2"}</format>
            <args><arg expression="get-property('ERROR_CODE')"/><arg expression="get-property('ERROR_MESSAGE')"/></args>
          </payloadFactory>
          <property name="HTTP_SC" value="502" scope="axis2"/>
          <respond/>
        </sequence>
        """

    @Test func theAPIDeploysWithWarningsFaultsAtTheReferenceAndWorksOnceTheArtifactsAreDeployed() async throws {
        let backend = try await TestHTTPBackend.start(name: "later")
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: [
            "api/later.xml": Self.api,
            "sequences/answerFault.xml": Self.answerFault,
        ])
        defer { gateway.stopInBackground() }
        let path = gateway.synapsePath + "/api/later.xml"

        let status = gateway.service.deploymentStatus
        let file = try #require(status.file(path))
        #expect(file.state == .deployed)
        #expect(file.diagnostics.isEmpty)
        #expect(
            file.warnings.map(\.description) == [
                "\(path):3:1: warning: unknown sequence 'stamp'",
                "\(path):4:61: warning: unknown endpoint 'LaterEP'",
                "\(path):6:1: warning: unknown sequence 'stamp'",
            ]
        )

        let sequenceFault = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/later/seq")
        #expect(sequenceFault.status == 500)
        #expect(sequenceFault.body.contains("Sequence named stamp cannot be found"))
        let endpointFault = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/later/ep")
        #expect(endpointFault.status == 500)
        #expect(endpointFault.body.contains("305100"))
        #expect(endpointFault.body.contains("Couldn&apos;t find the endpoint with the key : LaterEP"))
        // The resource's own fault sequence sees Synapse's ERROR_CODE and ERROR_MESSAGE.
        let handled = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/later/handled")
        #expect(handled.status == 502)
        #expect(handled.body == #"{"code":"0","message":"Sequence named stamp cannot be found"}"#)

        // Hot deploy of the missing artifacts alone: the API file is not touched.
        var generation = gateway.service.deploymentStatus.generation
        try gateway.write("sequences/stamp.xml", Self.stamp)
        generation = try await gateway.waitForDeployment(after: generation).generation
        try gateway.write(
            "endpoints/LaterEP.xml",
            #"<endpoint xmlns="http://ws.apache.org/ns/synapse" name="LaterEP"><address uri="\#(backend.baseURL)/b"/></endpoint>"#
        )
        let resolved = try await gateway.waitForDeployment(after: generation)
        #expect(resolved.file(path)?.warnings == [])
        #expect(resolved.file(path)?.state == .deployed)

        let stamped = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/later/seq")
        #expect(stamped.status == 200)
        #expect(stamped.body == #"{"stamped":true}"#)
        let forwarded = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/later/ep")
        #expect(forwarded.status == 200)
        #expect(forwarded.header("X-Backend-Name") == "later")
    }
}
