import AsyncHTTPClient
import Foundation
import Logging
import SluiceDatabaseMediators
import SluiceModel
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `<transaction>` with `dbreport useTransaction="true"` through the live gateway, on a declared SQLite datasource
/// and on the tests' PostgreSQL: what each resource answers and leaves in the tables, as WSO2's own test of the
/// mediator checks it (commit keeps both changes, a failing statement's fault sequence rolls back the change before
/// it, new-then-rollback leaves nothing, fault-if-no-tx runs the fault sequence, a transaction the message never
/// ended is rolled back), plus suspend and resume, and a gateway that keeps serving with no connection left taken.
@Suite(.timeLimit(.minutes(1))) struct TransactionMediatorLiveTests {
    static let dataSource = "<connection><pool><dsName>jdbc/People</dsName></pool></connection>"

    static func report(_ sql: String, transaction: Bool = true, parameters: String = "") -> String {
        #"<dbreport\#(transaction ? #" useTransaction="true""# : "")>\#(dataSource)"#
            + "<statement><sql>\(sql)</sql>\(parameters)</statement></dbreport>"
    }

    static func people(_ a: String, _ b: String) -> String {
        """
        <resource methods="POST" uri-template="/init">
          <inSequence>
            \(report("CREATE TABLE \(a) (id INTEGER PRIMARY KEY, name VARCHAR(40))", transaction: false))
            \(report("CREATE TABLE \(b) (id INTEGER PRIMARY KEY, name VARCHAR(40))", transaction: false))
            \(report("INSERT INTO \(a) (id, name) VALUES (1, 'ada'), (2, 'bob')", transaction: false))
            \(report("INSERT INTO \(b) (id, name) VALUES (1, 'bob')", transaction: false))
            <respond/>
          </inSequence>
        </resource>
        <resource methods="POST" uri-template="/move?name={name}&amp;id={id}">
          <inSequence>
            <property name="NAME" expression="$url:name"/>
            <property name="ID" expression="$url:id"/>
            <sequence key="movePerson"/>
            <payloadFactory media-type="text"><format>moved</format><args/></payloadFactory>
            <respond/>
          </inSequence>
        </resource>
        <resource methods="POST" uri-template="/abandon">
          <inSequence>
            <transaction action="new"/>
            \(report("INSERT INTO \(a) (id, name) VALUES (6, 'max')"))
            \(report("INSERT INTO \(b) (id, name) VALUES (6, 'max')"))
            <transaction action="rollback"/>
            <respond/>
          </inSequence>
        </resource>
        <resource methods="POST" uri-template="/unfinished">
          <inSequence>
            <transaction action="new"/>
            \(report("INSERT INTO \(a) (id, name) VALUES (7, 'mia')"))
            <transaction action="suspend"/>
            <respond/>
          </inSequence>
        </resource>
        <resource methods="POST" uri-template="/resumed">
          <inSequence>
            <transaction action="new"/>
            \(report("INSERT INTO \(a) (id, name) VALUES (8, 'hal')"))
            <transaction action="suspend"/>
            <transaction action="resume"/>
            <transaction action="commit"/>
            <respond/>
          </inSequence>
        </resource>
        <resource methods="POST" uri-template="/guarded">
          <inSequence>
            <transaction action="fault-if-no-tx"/>
            <respond/>
          </inSequence>
          <faultSequence>
            <payloadFactory media-type="text"><format>$1</format><args><arg expression="get-property('ERROR_MESSAGE')"/></args>
            </payloadFactory>
            <respond/>
          </faultSequence>
        </resource>
        <resource methods="GET" uri-template="/find?name={name}">
          <inSequence>
            <property name="NAME" expression="$url:name"/>
            <dblookup>\(dataSource)<statement><sql>SELECT id FROM \(a) WHERE name = ?</sql>
              <parameter expression="get-property('NAME')" type="VARCHAR"/><result name="in_a" column="id"/></statement></dblookup>
            <dblookup>\(dataSource)<statement><sql>SELECT id FROM \(b) WHERE name = ?</sql>
              <parameter expression="get-property('NAME')" type="VARCHAR"/><result name="in_b" column="id"/></statement></dblookup>
            <payloadFactory media-type="text"><format>a=$1 b=$2</format>
              <args><arg expression="get-property('in_a')"/><arg expression="get-property('in_b')"/></args></payloadFactory>
            <respond/>
          </inSequence>
        </resource>
        """
    }

    /// Deletes the person from the first table and adds them to the second in one transaction; a failure rolls
    /// both back in the sequence's error handler and answers with the fault.
    static func movePerson(_ a: String, _ b: String) -> String {
        """
        <sequence xmlns="http://ws.apache.org/ns/synapse" name="movePerson" onError="moveFailed">
          <transaction action="new"/>
          \(report("DELETE FROM \(a) WHERE name = ?", parameters: #"<parameter expression="get-property('NAME')" type="VARCHAR"/>"#))
          \(report("INSERT INTO \(b) (id, name) VALUES (?, ?)", parameters: #"<parameter expression="get-property('ID')" type="INTEGER"/><parameter expression="get-property('NAME')" type="VARCHAR"/>"#))
          <transaction action="commit"/>
        </sequence>
        """
    }

    static let moveFailed = """
        <sequence xmlns="http://ws.apache.org/ns/synapse" name="moveFailed">
          <transaction action="rollback"/>
          <property name="HTTP_SC" value="500" scope="axis2"/>
          <payloadFactory media-type="text"><format>rolled back: $1</format><args><arg expression="get-property('ERROR_MESSAGE')"/></args>
          </payloadFactory>
          <respond/>
        </sequence>
        """

    static func exercise(_ dataSource: DataSourceDefinition) async throws {
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)
        let (a, b) = ("people_a_\(suffix)", "people_b_\(suffix)")
        let gateway = try await GatewayHarness.start(
            files: [
                "api/people.xml": Artifact.api(name: "people", context: "/people", resources: people(a, b)),
                "sequences/movePerson.xml": movePerson(a, b),
                "sequences/moveFailed.xml": moveFailed,
            ]
        ) {
            $0.databases = DatabaseMediatorConnector(
                dataSources: [dataSource], statementTimeout: .seconds(5), logger: Logger(label: "sluice.test.db")
            )
        }
        defer { gateway.stopInBackground() }
        for file in gateway.service.deploymentStatus.files {
            #expect(file.state == .deployed && file.warnings.isEmpty, "\(file.path): \(file.diagnostics) \(file.warnings)")
        }
        func post(_ path: String) async throws -> (status: Int, body: String) {
            let response = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/people" + path)
            return (response.status, response.body)
        }
        func find(_ name: String) async throws -> String {
            try await HTTPClient.shared.send(.GET, gateway.baseURL + "/people/find?name=\(name)").body
        }
        #expect(try await post("/init").status == 200)

        // Commit: ada leaves the first table and joins the second.
        #expect(try await post("/move?name=ada&id=2").body == "moved")
        #expect(try await find("ada") == "a= b=2")
        // The insert breaks the second table's key: the error handler rolls back the delete before it.
        let failed = try await post("/move?name=bob&id=1")
        #expect(failed.status == 500)
        #expect(failed.body.hasPrefix("rolled back: SQL Error while executing insert statement : INSERT INTO \(b)"), "\(failed.body)")
        #expect(try await find("bob") == "a=2 b=1")
        // new, two inserts, rollback: neither stays.
        #expect(try await post("/abandon").status == 200)
        #expect(try await find("max") == "a= b=")
        // Ended with its transaction suspended and never committed: rolled back when the message went.
        #expect(try await post("/unfinished").status == 200)
        #expect(try await find("mia") == "a= b=")
        // Suspended, resumed and committed: kept.
        #expect(try await post("/resumed").status == 200)
        #expect(try await find("hal") == "a=8 b=")
        #expect(try await post("/guarded").body == "No active transaction. Require an active transaction")
        // Nothing is left holding a connection: a transaction over both tables still goes through at once.
        #expect(try await post("/move?name=hal&id=8").body == "moved")
        #expect(try await find("hal") == "a= b=8")
    }

    @Test func onSQLite() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-txlive-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await Self.exercise(DataSourceDefinition(name: "jdbc/People", url: "jdbc:sqlite:\(folder)/people.db"))
    }

    @Test func onPostgreSQL() async throws {
        let server = try ThrowawayPostgres.shared()
        let address = try #require(URLComponents(string: server.url))
        try await Self.exercise(
            DataSourceDefinition(
                name: "jdbc/People",
                url: "jdbc:postgresql://127.0.0.1:\(try #require(address.port))/postgres?sslmode=disable",
                username: address.user ?? "postgres",
                maxActive: 2
            )
        )
    }
}
