import AsyncHTTPClient
import Foundation
import SluiceModel
import SluiceNode
import SluiceTLS
import SluiceTesting
import Testing

/// A gateway-only node whose key manager serves HTTPS with a self-signed certificate: it cannot validate keys
/// (900900) until that certificate is in its `client-truststore.pem`, then it can (900901 for a made-up token).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SplitGatewayTrustTests {
    static let artifact = """
        <?xml version="1.0" encoding="UTF-8"?>
        <api xmlns="http://ws.apache.org/ns/synapse" name="admin--Guarded" context="/guarded" version="1.0.0" version-type="context">
          <resource methods="GET" url-mapping="/*"><inSequence><respond/></inSequence></resource>
          <handlers>
            <handler class="org.wso2.carbon.apimgt.gateway.handlers.security.APIAuthenticationHandler"/>
          </handlers>
        </api>
        """

    /// The fault code a made-up token gets from a gateway-only node using `keyManagerHTTPS`, trusting its
    /// certificate or not.
    static func faultCode(keyManagerHTTPS port: Int, certificate: String, trusted: Bool) async throws -> String {
        let repository = try TestRepository()
        if trusted {
            try FileManager.default.createDirectory(
                atPath: repository.path + "/resources/security", withIntermediateDirectories: true
            )
            try certificate.write(toFile: repository.path + "/" + BackendTrust.trustStoreFile, atomically: true, encoding: .utf8)
        }
        try artifact.write(
            toFile: repository.path + "/deployment/server/synapse-configs/default/api/admin--Guarded_v1.0.0.xml",
            atomically: true, encoding: .utf8
        )
        var options = repository.options(roles: [.gateway])
        options.settings.keyManagerURL = "https://localhost:\(port)"
        options.gatewayPort = 0
        let node = try await SluiceNode.assemble(options)
        let gateway = try #require(node.gateway)
        let services = node.serviceGroup()
        return try await withRunningServices(services) {
            let url = "http://127.0.0.1:\(try await gateway.boundPort)/guarded/1.0.0/x"
            var body = ""
            // Until the artifact is deployed the gateway answers 404.
            for _ in 0..<100 {
                var request = HTTPClientRequest(url: url)
                request.headers.add(name: "Authorization", value: "Bearer made-up-token")
                request.headers.add(name: "Accept", value: "application/json")
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
                body = String(buffer: try await response.body.collect(upTo: 1 << 20))
                if response.status.code != 404 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            return body.contains("900901") ? "900901" : body.contains("900900") ? "900900" : body
        }
    }

    @Test func aSplitGatewayTrustsASelfSignedKeyManagerOnlyThroughTheTrustStore() async throws {
        let controlPlane = try TestRepository()
        var options = controlPlane.options(roles: [.publisher, .devportal, .admin, .keyManager])
        options.managementPort = 0
        options.managementHTTPSPort = 0
        let node = try await SluiceNode.assemble(options)
        let certificate = try String(
            contentsOfFile: controlPlane.path + "/" + NodeKeyStores.defaultCertificate, encoding: .utf8
        )
        let services = node.serviceGroup()
        try await withRunningServices(services) {
            let httpsPort = try await node.boundManagementHTTPSPort
            _ = try await poll("http://127.0.0.1:\(try await node.boundManagementPort)/api/am/openapi.json") { $0 == 200 }
            #expect(try await Self.faultCode(keyManagerHTTPS: httpsPort, certificate: certificate, trusted: false) == "900900")
            #expect(try await Self.faultCode(keyManagerHTTPS: httpsPort, certificate: certificate, trusted: true) == "900901")
        }
    }
}
