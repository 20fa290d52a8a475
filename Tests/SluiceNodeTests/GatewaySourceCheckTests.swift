import Foundation
import Logging
import SluiceGateway
import SluiceMediation
import SluiceSynapse
import Testing

@testable import SluiceNode

/// The publisher's check of a hand-edited API source compiles it as the gateway would, without reaching the
/// network: a WSDL endpoint at an http(s) URI (which the gateway fetches when it deploys the file) passes with a
/// warning instead of being refused.
@Suite struct GatewaySourceCheckTests {
    @Test func aWSDLAtANetworkURIPassesWithAWarningAndFetchesNothing() throws {
        let folder = NSTemporaryDirectory() + "sluice-source-check-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let deployer = GatewayDeployer(
            synapseConfigPath: folder,
            handlerRegistry: .standard,
            logger: Logger(label: "sluice.test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        deployer.redeployChangedFiles()
        let gateway = AttachedGateway()
        gateway.attach(deployer)
        let check = GatewaySourceCheck(handlers: .standard, gateway: gateway)
        let source = """
            <api xmlns="http://ws.apache.org/ns/synapse" name="orders" context="/orders">
              <resource methods="POST" url-mapping="/place">
                <inSequence>
                  <send><endpoint><wsdl uri="http://127.0.0.1:1/orders?wsdl" service="Orders" port="Soap11"/></endpoint></send>
                </inSequence>
              </resource>
            </api>
            """
        let api = try #require(try SynapseParser().parse(xml: source, fileName: "orders.xml").apis.first)
        let result = check.check(api)
        #expect(result.problem == nil, "\(String(describing: result.problem))")
        #expect(result.warnings.map(\.message) == [
            "not fetched: WSDL 'http://127.0.0.1:1/orders?wsdl' is fetched when a gateway deploys the file; checked "
                + "without it"
        ])
    }
}
