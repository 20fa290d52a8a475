import AsyncHTTPClient
import Foundation
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `dbreport` and `dblookup` on XML messages through the live gateway (SQLite): parameters taken by XPath from the
/// payload, with a namespace prefix declared on the parameter, and the looked-up values written back into XML.
@Suite(.timeLimit(.minutes(1))) struct DatabaseMediatorXMLLiveTests {
    static func api(connection: String) -> String {
        Artifact.api(
            name: "stock",
            context: "/stock",
            resources: """
                <resource methods="POST" uri-template="/parts">
                  <inSequence>
                    <dbreport>
                      \(connection)
                      <statement><sql>CREATE TABLE IF NOT EXISTS parts (code VARCHAR(20) PRIMARY KEY, label VARCHAR(40), qty INTEGER)</sql></statement>
                      <statement><sql>INSERT INTO parts (code, label, qty) VALUES (?, ?, ?)</sql>
                        <parameter xmlns:p="urn:parts" expression="//p:part/@code" type="VARCHAR"/>
                        <parameter xmlns:p="urn:parts" expression="//p:part/p:label" type="VARCHAR"/>
                        <parameter xmlns:p="urn:parts" expression="number(//p:part/p:qty) * 2" type="INTEGER"/>
                      </statement>
                    </dbreport>
                    <payloadFactory media-type="xml"><format><stored xmlns="">$1</stored></format>
                      <args><arg expression="get-property('DBREPORT_MODIFIED_RAW_COUNT')"/></args></payloadFactory>
                    <respond/>
                  </inSequence>
                </resource>
                <resource methods="POST" uri-template="/lookup">
                  <inSequence>
                    <dblookup>
                      \(connection)
                      <statement><sql>SELECT label, qty FROM parts WHERE code = ?</sql>
                        <parameter xmlns:p="urn:parts" expression="$body/p:find/p:code" type="VARCHAR"/>
                        <result name="part_label" column="label"/>
                        <result name="part_qty" column="qty"/>
                      </statement>
                    </dblookup>
                    <payloadFactory media-type="xml"><format><part xmlns=""><label>$1</label><qty>$2</qty></part></format>
                      <args><arg expression="get-property('part_label')"/><arg expression="get-property('part_qty')"/></args>
                    </payloadFactory>
                    <respond/>
                  </inSequence>
                </resource>
                """
        )
    }

    @Test func xpathParametersWriteAndReadRows() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-dbxml-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let connection = DatabaseMediatorLiveTests.pool(driver: "org.sqlite.JDBC", url: "jdbc:sqlite:\(folder)/stock.db")
        let gateway = try await DatabaseMediatorLiveTests.start(files: ["api/stock.xml": Self.api(connection: connection)])
        defer { gateway.stopInBackground() }
        let file = try #require(gateway.service.deploymentStatus.files.first)
        #expect(file.state == .deployed, "\(file.diagnostics)")
        #expect(file.warnings.isEmpty, "\(file.warnings)")

        func post(_ path: String, _ body: String) async throws -> TestResponse {
            try await HTTPClient.shared.send(
                .POST, gateway.baseURL + "/stock" + path, headers: [("Content-Type", "application/xml")], body: body
            )
        }
        for (code, label, qty) in [("B-7", "bolt", 21), ("N-2", "nut & washer", 5)] {
            let escaped = label.replacingOccurrences(of: "&", with: "&amp;")
            let stored = try await post("/parts", #"<part xmlns="urn:parts" code="\#(code)"><label>\#(escaped)</label><qty>\#(qty)</qty></part>"#)
            #expect(stored.status == 200)
            #expect(stored.body.contains(">1</stored>"), "\(stored.body)")
        }
        let bolt = try await post("/lookup", #"<find xmlns="urn:parts"><code>B-7</code></find>"#)
        #expect(bolt.body.contains("<label>bolt</label><qty>42</qty>"), "\(bolt.body)")
        // The label went through the XPath text and back into XML escaped.
        let nut = try await post("/lookup", #"<find xmlns="urn:parts"><code>N-2</code></find>"#)
        #expect(nut.body.contains("<label>nut &amp; washer</label><qty>10</qty>"), "\(nut.body)")
        // No row: the result properties stay unset.
        let none = try await post("/lookup", #"<find xmlns="urn:parts"><code>X-0</code></find>"#)
        #expect(none.body.contains("<label></label><qty></qty>") || none.body.contains("<label/><qty/>"), "\(none.body)")
    }
}
