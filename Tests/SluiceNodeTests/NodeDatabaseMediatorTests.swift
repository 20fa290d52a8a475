import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceModel
import SluiceNode
import Testing

/// The node hands its gateway the `dblookup`/`dbreport` drivers (SluiceDatabaseMediators) and the datasources of
/// api-manager.xml: an API naming a declared datasource writes and reads rows through a node's gateway.
@Suite(.timeLimit(.minutes(2)))
struct NodeDatabaseMediatorTests {
    static let api = """
        <api xmlns="http://ws.apache.org/ns/synapse" name="shop" context="/shop">
          <resource methods="POST" uri-template="/items/{id}">
            <inSequence>
              <dbreport>
                <connection><pool><dsName>jdbc/Shop</dsName></pool></connection>
                <statement><sql>CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT)</sql></statement>
                <statement><sql>INSERT INTO items (id, name) VALUES (?, 'lamp')</sql>
                  <parameter expression="get-property('uri.var.id')" type="INTEGER"/>
                </statement>
              </dbreport>
              <dblookup>
                <connection><pool><dsName>jdbc/Shop</dsName></pool></connection>
                <statement><sql>SELECT name FROM items WHERE id = ?</sql>
                  <parameter expression="get-property('uri.var.id')" type="INTEGER"/>
                  <result name="item_name" column="name"/>
                </statement>
              </dblookup>
              <payloadFactory media-type="json"><format>{"name":"$1"}</format>
                <args><arg expression="get-property('item_name')"/></args></payloadFactory>
              <respond/>
            </inSequence>
          </resource>
        </api>
        """

    @Test func aGatewayNodeRunsDatabaseMediatorsOnItsDeclaredDataSources() async throws {
        let repository = try TestRepository()
        try Self.api.write(
            toFile: repository.path + "/deployment/server/synapse-configs/default/api/shop.xml",
            atomically: true,
            encoding: .utf8
        )
        var options = repository.options(roles: Set(NodeRole.allCases))
        options.settings.dataSources = [
            DataSourceDefinition(name: "jdbc/Shop", url: "jdbc:sqlite:\(repository.workspace)/shop.db")
        ]
        let node = try await SluiceNode.assemble(options)
        let gateway = try #require(node.gateway)
        try await withRunningServices(node.serviceGroup()) {
            let port = try await gateway.boundPort
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/shop/items/7")
            request.method = .POST
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            #expect(response.status.code == 200)
            #expect(String(buffer: body) == #"{"name":"lamp"}"#)
        }
        #expect(FileManager.default.fileExists(atPath: repository.workspace + "/shop.db"))
    }
}
