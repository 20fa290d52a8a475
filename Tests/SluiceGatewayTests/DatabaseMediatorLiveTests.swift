import AsyncHTTPClient
import Foundation
import Logging
import SluiceDatabaseMediators
import SluiceModel
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `dbreport` and `dblookup` through the live gateway, against a real SQLite file and the tests' throwaway
/// PostgreSQL: an API whose inSequence writes rows and looks a value up and returns it, the faults of a bad
/// statement and of a database that is not there, and the deploy warnings of a driver or datasource Sluice lacks.
@Suite(.timeLimit(.minutes(1))) struct DatabaseMediatorLiveTests {
    /// A gateway with the drivers a node hands it (and `dataSources` declared), serving `files`.
    static func start(files: [String: String], dataSources: [DataSourceDefinition] = []) async throws -> GatewayHarness {
        try await GatewayHarness.start(files: files) {
            $0.databases = DatabaseMediatorConnector(dataSources: dataSources, logger: Logger(label: "sluice.test.db"))
        }
    }

    /// The shop API over one connection: POST /items inserts (creating the table first), GET /items/{id} looks the
    /// name and price up, GET /broken runs a statement on a table that does not exist, DELETE /items drops the table.
    static func shop(connection: String, table: String) -> String {
        Artifact.api(
            name: "shop",
            context: "/shop",
            resources: """
                <resource methods="POST" uri-template="/items">
                  <inSequence>
                    <dbreport>
                      \(connection)
                      <statement><sql>CREATE TABLE IF NOT EXISTS \(table) (id INTEGER PRIMARY KEY, name VARCHAR(40),
                        price NUMERIC(8,2), added DATE)</sql></statement>
                      <statement><sql>INSERT INTO \(table) (id, name, price, added) VALUES (?, ?, ?, ?)</sql>
                        <parameter expression="json-eval($.id)" type="INTEGER"/>
                        <parameter expression="json-eval($.name)" type="VARCHAR"/>
                        <parameter expression="json-eval($.price)" type="NUMERIC"/>
                        <parameter value="2024-03-09" type="DATE"/>
                      </statement>
                    </dbreport>
                    <payloadFactory media-type="json"><format>{"inserted":$1}</format>
                      <args><arg expression="get-property('DBREPORT_MODIFIED_RAW_COUNT')"/></args></payloadFactory>
                    <respond/>
                  </inSequence>
                </resource>
                <resource methods="GET" uri-template="/items/{id}">
                  <inSequence>
                    <dblookup>
                      \(connection)
                      <statement><sql>SELECT name, price FROM \(table) WHERE id = ?</sql>
                        <parameter expression="get-property('uri.var.id')" type="INTEGER"/>
                        <result name="item_name" column="name"/>
                        <result name="item_price" column="2"/>
                      </statement>
                    </dblookup>
                    <payloadFactory media-type="json"><format>{"name":"$1","price":"$2"}</format>
                      <args><arg expression="get-property('item_name')"/><arg expression="get-property('item_price')"/></args>
                    </payloadFactory>
                    <respond/>
                  </inSequence>
                </resource>
                <resource methods="GET" uri-template="/broken">
                  <inSequence>
                    <dblookup>\(connection)<statement><sql>SELECT name FROM missing_\(table)</sql></statement></dblookup>
                    <respond/>
                  </inSequence>
                  <faultSequence>
                    <property name="HTTP_SC" value="500" scope="axis2"/>
                    <payloadFactory media-type="text"><format>$1|$2|$3</format>
                      <args><arg expression="get-property('ERROR_CODE')"/><arg expression="get-property('ERROR_MESSAGE')"/>
                        <arg expression="get-property('ERROR_DETAIL')"/></args></payloadFactory>
                    <respond/>
                  </faultSequence>
                </resource>
                <resource methods="DELETE" uri-template="/items">
                  <inSequence>
                    <dbreport>\(connection)<statement><sql>DROP TABLE \(table)</sql></statement></dbreport>
                    <respond/>
                  </inSequence>
                </resource>
                """
        )
    }

    static func pool(driver: String, url: String, user: String = "", password: String = "") -> String {
        "<connection><pool><driver>\(driver)</driver><url>\(url)</url><user>\(user)</user>"
            + "<password>\(password)</password><property name=\"maxactive\" value=\"2\"/></pool></connection>"
    }

    /// Stores two items, reads one back, reads one that is not there, and faults on a broken statement.
    static func exercise(_ gateway: GatewayHarness, brokenDetail: String) async throws {
        let file = try #require(gateway.service.deploymentStatus.files.first)
        #expect(file.state == .deployed, "\(file.diagnostics)")
        #expect(file.warnings.isEmpty, "\(file.warnings)")
        for (id, name, price) in [(7, "lamp", "12.50"), (8, "desk", "80")] {
            let inserted = try await HTTPClient.shared.send(
                .POST,
                gateway.baseURL + "/shop/items",
                headers: [("Content-Type", "application/json")],
                body: #"{"id":\#(id),"name":"\#(name)","price":"\#(price)"}"#
            )
            #expect(inserted.status == 200)
            #expect(inserted.body == #"{"inserted":1}"#)
        }
        let found = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/shop/items/7")
        #expect(found.status == 200)
        #expect(found.body == #"{"name":"lamp","price":"12.5"}"#)
        let missing = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/shop/items/9")
        #expect(missing.body == #"{"name":"","price":""}"#)

        let broken = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/shop/broken")
        #expect(broken.status == 500)
        let parts = broken.body.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        #expect(parts.count == 3)
        #expect(parts.first == "0")
        #expect(parts.dropFirst().first?.hasPrefix("SQL Exception occurred while executing statement : SELECT name FROM missing_") == true)
        #expect(parts.last?.contains(brokenDetail) == true, "\(broken.body)")
        // The gateway keeps serving after the fault.
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/shop/items/8").body == #"{"name":"desk","price":"80"}"#)
    }

    @Test func anAPIStoresAndLooksUpRowsInAnSQLiteFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-db-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let connection = Self.pool(driver: "org.sqlite.JDBC", url: "jdbc:sqlite:\(folder)/shop.db")
        let gateway = try await Self.start(files: ["api/shop.xml": Self.shop(connection: connection, table: "items")])
        defer { gateway.stopInBackground() }
        try await Self.exercise(gateway, brokenDetail: "no such table: missing_items")
        #expect(FileManager.default.fileExists(atPath: folder + "/shop.db"))
    }

    @Test func anAPIStoresAndLooksUpRowsInPostgreSQL() async throws {
        let server = try ThrowawayPostgres.shared()
        let address = try #require(URLComponents(string: server.url))
        let table = "items_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let connection = Self.pool(
            driver: "org.postgresql.Driver",
            url: "jdbc:postgresql://127.0.0.1:\(try #require(address.port))/postgres?sslmode=disable",
            user: address.user ?? "postgres"
        )
        let gateway = try await Self.start(files: ["api/shop.xml": Self.shop(connection: connection, table: String(table))])
        defer { gateway.stopInBackground() }
        try await Self.exercise(gateway, brokenDetail: "does not exist (SQLSTATE 42P01)")
        #expect(try await HTTPClient.shared.send(.DELETE, gateway.baseURL + "/shop/items").status == 200)
    }

    @Test func aDeclaredDataSourceIsFoundByNameAndAnUnknownOneIsAWarningAndAFault() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-ds-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let declared = "<connection><pool><dsName>jdbc/Shop</dsName></pool></connection>"
        let unknown = "<connection><pool><dsName>jdbc/Nowhere</dsName></pool></connection>"
        let gateway = try await Self.start(
            files: [
                "api/shop.xml": Self.shop(connection: declared, table: "items"),
                "api/other.xml": Self.shop(connection: unknown, table: "items").replacingOccurrences(of: "/shop", with: "/other")
                    .replacingOccurrences(of: #"name="shop""#, with: #"name="other""#),
            ],
            dataSources: [DataSourceDefinition(name: "jdbc/Shop", url: "jdbc:sqlite:\(folder)/ds.db")]
        )
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        let other = try #require(status.files.first { $0.path.hasSuffix("other.xml") })
        #expect(other.state == .deployed)
        #expect(other.warnings.contains { $0.message.contains("the datasource 'jdbc/Nowhere' is not declared on this node") })
        let shop = try #require(status.files.first { $0.path.hasSuffix("shop.xml") })
        #expect(shop.warnings.isEmpty, "\(shop.warnings)")

        let inserted = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/shop/items",
            headers: [("Content-Type", "application/json")],
            body: #"{"id":1,"name":"chair","price":"5"}"#
        )
        #expect(inserted.body == #"{"inserted":1}"#)
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/shop/items/1").body == #"{"name":"chair","price":"5"}"#)
        let faulted = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/other/broken")
        #expect(faulted.body.hasSuffix("against DataSource : jdbc/Nowhere|DataSource : jdbc/Nowhere not found"), "\(faulted.body)")
    }

    @Test func aDatabaseThatIsNotThereFaultsTheMessageAndADriverSluiceLacksIsAWarning() async throws {
        let refused = Self.pool(driver: "org.postgresql.Driver", url: "jdbc:postgresql://127.0.0.1:1/none?sslmode=disable", user: "x")
        let mysql = Self.pool(driver: "com.mysql.jdbc.Driver", url: "jdbc:mysql://127.0.0.1:1/none", user: "x")
        let gateway = try await Self.start(
            files: [
                "api/shop.xml": Self.shop(connection: refused, table: "items"),
                "api/other.xml": Self.shop(connection: mysql, table: "items").replacingOccurrences(of: "/shop", with: "/other")
                    .replacingOccurrences(of: #"name="shop""#, with: #"name="other""#),
            ]
        )
        defer { gateway.stopInBackground() }
        let other = try #require(gateway.service.deploymentStatus.files.first { $0.path.hasSuffix("other.xml") })
        #expect(other.state == .deployed)
        #expect(other.warnings.count == 4)  // one per mediator
        #expect(other.warnings.allSatisfy { $0.message.contains("the JDBC driver com.mysql.jdbc.Driver is not available in Sluice") })

        let unreachable = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/shop/broken")
        #expect(unreachable.status == 500)
        #expect(unreachable.body.contains("against DataSource : jdbc:postgresql://127.0.0.1:1/none?sslmode=disable|"))
        let noDriver = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/other/broken")
        #expect(noDriver.body.hasSuffix("|Cannot load JDBC driver class 'com.mysql.jdbc.Driver'"), "\(noDriver.body)")
    }
}
