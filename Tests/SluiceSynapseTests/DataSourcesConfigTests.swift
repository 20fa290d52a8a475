import Foundation
import SluiceModel
import SluiceSynapse
import SluiceTesting
import Testing

/// `<DataSources>` in api-manager.xml: the databases `dblookup`/`dbreport` name in `<dsName>`; the password is
/// never printed, and mistakes are reported with their lines.
@Suite struct DataSourcesConfigTests {
    @Test func readsEveryDataSourceAndNeverPrintsThePassword() throws {
        #expect(APIManagerSettings.defaults.dataSources.isEmpty)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "api-manager.xml",
            """
            <APIManager>
                <DataSources>
                    <DataSource>
                        <Name>jdbc/Orders</Name>
                        <URL>jdbc:postgresql://db.internal:5432/orders</URL>
                        <Username>orders</Username>
                        <Password> top secret </Password>
                        <Driver>org.postgresql.Driver</Driver>
                        <MaxActive>12</MaxActive>
                    </DataSource>
                    <DataSource><Name>local</Name><URL>jdbc:sqlite:/var/lib/sluice/local.db</URL></DataSource>
                </DataSources>
            </APIManager>
            """
        )
        let settings = try APIManagerConfigReader.read(path: path)
        #expect(
            settings.dataSources == [
                DataSourceDefinition(
                    name: "jdbc/Orders",
                    url: "jdbc:postgresql://db.internal:5432/orders",
                    username: "orders",
                    password: " top secret ",
                    driver: "org.postgresql.Driver",
                    maxActive: 12
                ),
                DataSourceDefinition(name: "local", url: "jdbc:sqlite:/var/lib/sluice/local.db"),
            ]
        )
        #expect(!settings.description.contains("secret"))
        #expect(settings.description.contains("jdbc/Orders"))
        #expect(!"\(settings.dataSources)".contains("secret"))
    }

    @Test func mistakesAreReportedWithTheirLines() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "api-manager.xml",
            """
            <APIManager>
                <DataSources>
                    <DataSource><Name>a</Name><URL>jdbc:mysql://db/a</URL></DataSource>
                    <DataSource><Name>b</Name></DataSource>
                    <DataSource><Name>c</Name><URL>jdbc:sqlite:c.db</URL><MaxActive>0</MaxActive></DataSource>
                    <DataSource><Name>d</Name><URL>jdbc:sqlite:d.db</URL></DataSource>
                    <DataSource><Name>d</Name><URL>jdbc:sqlite:e.db</URL></DataSource>
                </DataSources>
            </APIManager>
            """
        )
        let error = #expect(throws: SynapseDiagnostics.self) { try APIManagerConfigReader.read(path: path) }
        let messages = error?.diagnostics.map(\.description) ?? []
        #expect(messages.count == 4, "\(messages)")
        #expect(messages.first?.hasPrefix("\(path):3:9: the datasource 'a' has the URL 'jdbc:mysql://db/a'") == true)
        #expect(messages.dropFirst().first == "\(path):4:9: a <DataSource> needs a <Name> and a <URL>")
        #expect(messages.dropFirst(2).first?.contains("<MaxActive> must be a whole number from 1 to 1000, not '0'") == true)
        #expect(messages.last == "\(path):7:9: the datasource 'd' is declared twice")
    }
}
