import Foundation
import Testing

/// `sluice validate` on `dblookup`/`dbreport`: a JDBC driver Sluice lacks is the deployer's warning (the artifact
/// deploys and faults at runtime, as Synapse does without the driver); one it has is OK; what Synapse's factory
/// refuses is an error.
@Suite(.timeLimit(.minutes(1)))
struct ValidateDatabaseMediatorTests {
    static func sequence(driver: String, url: String, type: String = "INTEGER") -> String {
        """
        <sequence xmlns="http://ws.apache.org/ns/synapse" name="lookup">
            <dblookup>
                <connection><pool><driver>\(driver)</driver><url>\(url)</url><user>app</user><password>pw</password></pool></connection>
                <statement><sql>SELECT name FROM items WHERE id = ?</sql>
                    <parameter expression="json-eval($.id)" type="\(type)"/><result name="name" column="name"/></statement>
            </dblookup>
        </sequence>
        """
    }

    @Test func aDriverSluiceLacksIsAWarningAndOneItHasIsOK() async throws {
        let folder = NSTemporaryDirectory() + "sluice-cli-db-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.sequence(driver: "com.mysql.jdbc.Driver", url: "jdbc:mysql://db:3306/shop")
            .write(toFile: folder + "/mysql.xml", atomically: true, encoding: .utf8)
        try Self.sequence(driver: "org.postgresql.Driver", url: "jdbc:postgresql://db:5432/shop")
            .write(toFile: folder + "/postgres.xml", atomically: true, encoding: .utf8)
        try Self.sequence(driver: "org.sqlite.JDBC", url: "jdbc:sqlite:shop.db", type: "BOOLEAN")
            .write(toFile: folder + "/badtype.xml", atomically: true, encoding: .utf8)

        let mysql = try await ValidateCommandTests.runValidate([folder + "/mysql.xml"])
        #expect(mysql.status == 0)
        #expect(
            mysql.output.contains(
                "\(folder)/mysql.xml:1:1: warning: the JDBC driver com.mysql.jdbc.Driver is not available in Sluice; the "
                    + "mediator faults at runtime as Synapse does when the driver is missing"
            ),
            "\(mysql.output)"
        )
        #expect(try await ValidateCommandTests.runValidate(["--strict", folder + "/mysql.xml"]).status == 1)
        let postgres = try await ValidateCommandTests.runValidate([folder + "/postgres.xml"])
        #expect(postgres.output == "OK \(folder)/postgres.xml\n")
        let badType = try await ValidateCommandTests.runValidate([folder + "/badtype.xml"])
        #expect(badType.status == 1)
        #expect(badType.output.contains("Unknown or unsupported JDBC type : BOOLEAN"), "\(badType.output)")
    }
}
