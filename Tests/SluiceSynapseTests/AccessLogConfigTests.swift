import Foundation
import SluiceModel
import SluiceSynapse
import SluiceTesting
import Testing

/// `<AccessLog>` in api-manager.xml: off by default, every setting read, mistakes reported with their lines.
@Suite struct AccessLogConfigTests {
    @Test func readsEverySetting() throws {
        #expect(APIManagerSettings.defaults.accessLog == AccessLogSettings())
        #expect(!APIManagerSettings.defaults.accessLog.isActive)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "api-manager.xml",
            """
            <APIManager>
                <AccessLog>
                    <Enabled>true</Enabled>
                    <File>repository/logs/http_access.log</File>
                    <MaxFileSizeMB>20</MaxFileSizeMB><MaxFiles>3</MaxFiles>
                    <Format>%h %t "%r" %s %{activityid}x</Format>
                    <BufferSize>500</BufferSize>
                </AccessLog>
            </APIManager>
            """
        )
        let settings = try APIManagerConfigReader.read(path: path).accessLog
        #expect(settings.enabled && settings.generatesCorrelationIDs && settings.bufferSize == 500)
        #expect(settings.format == #"%h %t "%r" %s %{activityid}x"#)
        #expect(settings.destination == .file(path: "repository/logs/http_access.log", maxFileBytes: 20 << 20, maxFiles: 3))

        let stdout = try folder.write(
            "stdout.xml",
            "<APIManager><AccessLog><CorrelationIDs>true</CorrelationIDs><File>stdout</File></AccessLog></APIManager>"
        )
        let correlationOnly = try APIManagerConfigReader.read(path: stdout).accessLog
        #expect(!correlationOnly.enabled && correlationOnly.correlationIDs && correlationOnly.isActive)
        #expect(correlationOnly.destination == .standardOutput)
    }

    @Test func mistakesAreReportedWithTheirLines() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "api-manager.xml",
            """
            <APIManager>
                <AccessLog>
                    <Enabled>yes</Enabled>
                    <Format>%h %z</Format>
                    <MaxFiles>-1</MaxFiles>
                    <Colour>blue</Colour>
                </AccessLog>
            </APIManager>
            """
        )
        let error = #expect(throws: SynapseDiagnostics.self) { try APIManagerConfigReader.read(path: path) }
        let messages = error?.diagnostics.map(\.description) ?? []
        #expect(messages.count == 4)
        #expect(messages.first == "\(path):3:9: <Enabled> must be true or false")
        #expect(messages.dropFirst().first == "\(path):4:9: <Format>: unknown directive %z")
        #expect(messages.dropFirst(2).first?.hasPrefix("\(path):5:9: <MaxFiles> must be a whole number from 0 to 1000") == true)
        #expect(messages.last?.contains("Colour") == true)
    }
}
