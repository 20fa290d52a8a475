import NIOEmbedded
import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// What `dblookup`/`dbreport` do before any database answers: the deploy warnings (a JDBC driver Sluice lacks, a
/// statement whose placeholders and parameters disagree) and the faults Synapse raises for them, and parameters
/// converted by their JDBC type.
@Suite struct DatabaseMediatorCompileTests {
    private func program(_ sequence: String) throws -> MediationProgram {
        try MediationCompiler().compileProgram(
            SynapseParser().parse(
                xml: #"<definitions xmlns="http://ws.apache.org/ns/synapse"><sequence name="s">"# + sequence
                    + "</sequence></definitions>",
                fileName: "db.xml"
            )
        )
    }

    private func pool(driver: String, url: String) -> String {
        "<connection><pool><driver>\(driver)</driver><url>\(url)</url><user>app</user><password>pw</password>"
            + "</pool></connection>"
    }

    /// Runs sequence `s` to the database call and lets the call finish on an embedded loop.
    private func runToDatabase(_ program: MediationProgram, body: String = #"{"id":"7"}"#) throws -> Result<
        MediationStep, MediationFault
    > {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: body)
        var execution = SequenceExecution(sequence: try #require(program.sequence(named: "s")), program: program)
        let step: MediationStep
        do {
            step = try execution.run(&context)
        } catch {
            return .failure(error)
        }
        guard case .queryDatabase(let call) = step else { return .success(step) }
        let loop = EmbeddedEventLoop()
        let future = call.start(on: loop)
        loop.run()
        let outcome = OutcomeBox()
        future.whenComplete { outcome.value = $0 }
        loop.run()
        let result = try #require(outcome.value)
        do throws(MediationFault) {
            try call.resume(with: result, &context)
        } catch {
            return .failure(error)
        }
        return .success(try execution.run(&context))
    }

    @Test func aDriverSluiceLacksDeploysWithAWarningAndFaultsAsSynapseDoes() throws {
        let program = try program(
            "<dblookup>" + pool(driver: "com.mysql.jdbc.Driver", url: "jdbc:mysql://localhost:3306/shop")
                + "<statement><sql>SELECT name FROM items WHERE id = ?</sql>"
                + #"<parameter expression="json-eval($.id)" type="INTEGER"/><result name="n" column="name"/>"#
                + "</statement></dblookup>"
        )
        let warnings = program.unresolvedReferences.map(\.description)
        #expect(warnings.count == 1)
        #expect(
            warnings.first?.contains(
                "the JDBC driver com.mysql.jdbc.Driver is not available in Sluice; the mediator faults at runtime as "
                    + "Synapse does when the driver is missing"
            ) == true
        )
        guard case .failure(let fault) = try runToDatabase(program) else {
            Issue.record("expected a fault")
            return
        }
        #expect(fault.code == 0)
        #expect(
            fault.message
                == "SQL Exception occurred while executing statement : SELECT name FROM items WHERE id = ? against "
                + "DataSource : jdbc:mysql://localhost:3306/shop"
        )
        #expect(fault.detail == "Cannot load JDBC driver class 'com.mysql.jdbc.Driver'")
    }

    @Test func aURLTheDriverRefusesAndMismatchedPlaceholdersAreWarnedOf() throws {
        let program = try program(
            "<dbreport>" + pool(driver: "org.postgresql.Driver", url: "jdbc:derby://localhost/x")
                + "<statement><sql>UPDATE t SET a = ? WHERE b = ?</sql><parameter value=\"1\" type=\"INTEGER\"/>"
                + "</statement></dbreport>"
        )
        let warnings = program.unresolvedReferences.map(\.description)
        #expect(warnings.contains { $0.contains("has 2 '?' placeholder(s) and 1 parameter(s)") })
        #expect(warnings.contains { $0.contains("the JDBC driver org.postgresql.Driver does not accept the URL") })
        guard case .failure(let fault) = try runToDatabase(program) else {
            Issue.record("expected a fault")
            return
        }
        #expect(fault.message.hasPrefix("SQL Error while executing insert statement : UPDATE t SET a = ? WHERE b = ?"))
        #expect(fault.detail?.hasPrefix("Cannot create JDBC driver of class 'org.postgresql.Driver'") == true)
    }

    @Test func aPasswordInTheURLNeverReachesTheFault() throws {
        let program = try program(
            "<dblookup>" + pool(driver: "com.mysql.jdbc.Driver", url: "jdbc:mysql://db/x?user=a&amp;password=hush&amp;ssl=1")
                + "<statement><sql>SELECT 1</sql></statement></dblookup>"
        )
        guard case .failure(let fault) = try runToDatabase(program) else {
            Issue.record("expected a fault")
            return
        }
        #expect(fault.message.hasSuffix("against DataSource : jdbc:mysql://db/x?user=a&password=<redacted>&ssl=1"))
        #expect(!program.unresolvedReferences.map(\.description).joined().contains("hush"))
    }

    @Test func aParameterThatIsNotItsTypeFaultsBeforeAnyStatementRuns() throws {
        let program = try program(
            "<dblookup>" + pool(driver: "org.sqlite.JDBC", url: "jdbc:sqlite::memory:")
                + "<statement><sql>SELECT ?</sql>"
                + #"<parameter expression="json-eval($.id)" type="INTEGER"/></statement></dblookup>"#
        )
        #expect(program.unresolvedReferences.isEmpty)
        guard case .failure(let fault) = try runToDatabase(program, body: #"{"id":"seven"}"#) else {
            Issue.record("expected a fault")
            return
        }
        #expect(fault.message == "Error executing statement : SELECT ? against DataSource : jdbc:sqlite::memory:")
        #expect(fault.detail == "parameter 1: 'seven' is not a valid INTEGER")
    }

    @Test func parametersAreConvertedByTheirJDBCType() throws {
        func bound(_ value: String, _ type: JDBCType) throws -> SQLValue? {
            let program = try program(
                "<dbreport>" + pool(driver: "org.sqlite.JDBC", url: "jdbc:sqlite::memory:")
                    + "<statement><sql>INSERT INTO t VALUES (?)</sql>"
                    + "<parameter value=\"\(value)\" type=\"\(type.rawValue)\"/></statement></dbreport>"
            )
            var context = Build.context()
            var execution = SequenceExecution(sequence: try #require(program.sequence(named: "s")), program: program)
            guard case .queryDatabase(let call) = try? execution.run(&context) else { return nil }
            return call.statements.first?.bindings.first
        }
        #expect(try bound("42", .integer) == .integer(42))
        #expect(try bound("300", .tinyInt) == nil)
        #expect(try bound("-9000000000", .bigInt) == .integer(-9_000_000_000))
        #expect(try bound("12.50", .decimal) == .decimal("12.50"))
        #expect(try bound("1e3", .numeric) == .decimal("1e3"))
        #expect(try bound("12,5", .numeric) == nil)
        #expect(try bound("2.5", .double) == .real(2.5))
        #expect(try bound("TRUE", .bit) == .boolean(true))
        #expect(try bound("yes", .bit) == .boolean(false))
        #expect(try bound("2024-1-5", .date) == .date("2024-01-05"))
        #expect(try bound("2024-13-01", .date) == nil)
        #expect(try bound("7:05:09", .time) == .time("07:05:09"))
        #expect(try bound("2024-01-05 10:11:12.5", .timestamp) == .timestamp("2024-01-05 10:11:12.5"))
        #expect(try bound("2024-01-05T10:11:12", .timestamp) == nil)
        #expect(try bound("", .integer) == .null)
        #expect(try bound("text", .varchar) == .text("text"))
    }
}

/// Where the embedded loop leaves a call's outcome (the loop runs on the test's thread).
private final class OutcomeBox: @unchecked Sendable {
    var value: Result<[StatementOutcome], any Error>?
}
