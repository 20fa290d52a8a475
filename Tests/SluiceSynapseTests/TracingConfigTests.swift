import Foundation
import SluiceModel
import SluiceSynapse
import SluiceTesting
import Testing

/// `<OpenTelemetry>` in api-manager.xml: off by default, every setting read, mistakes reported with their lines.
@Suite struct TracingConfigTests {
    @Test func readsEverySetting() throws {
        #expect(APIManagerSettings.defaults.tracing == TracingSettings())
        #expect(!APIManagerSettings.defaults.tracing.enabled)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "api-manager.xml",
            """
            <APIManager>
                <OpenTelemetry>
                    <Enabled>true</Enabled>
                    <Endpoint>https://collector.example:4318/v1/traces</Endpoint>
                    <Protocol>http/json</Protocol>
                    <ServiceName>gateway-eu-1</ServiceName>
                    <SamplingRatio>0.25</SamplingRatio>
                    <ParentBased>false</ParentBased>
                    <ExportDelayMillis>250</ExportDelayMillis>
                </OpenTelemetry>
            </APIManager>
            """
        )
        let settings = try APIManagerConfigReader.read(path: path).tracing
        #expect(
            settings
                == TracingSettings(
                    enabled: true,
                    endpoint: "https://collector.example:4318/v1/traces",
                    exportProtocol: .json,
                    serviceName: "gateway-eu-1",
                    samplingRatio: 0.25,
                    parentBased: false,
                    exportDelayMillis: 250
                )
        )
        let minimal = try folder.write("minimal.xml", "<APIManager><OpenTelemetry><Enabled>true</Enabled></OpenTelemetry></APIManager>")
        let defaults = try APIManagerConfigReader.read(path: minimal).tracing
        #expect(defaults.enabled && defaults.endpoint == "http://localhost:4318/v1/traces")
        #expect(defaults.exportProtocol == .protobuf && defaults.samplingRatio == 1 && defaults.parentBased)
    }

    @Test func mistakesAreReportedWithTheirLines() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "api-manager.xml",
            """
            <APIManager>
                <OpenTelemetry>
                    <Enabled>on</Enabled>
                    <Endpoint>collector:4318</Endpoint>
                    <Protocol>grpc</Protocol>
                    <SamplingRatio>1.5</SamplingRatio>
                    <ServiceName> </ServiceName>
                    <ExportDelayMillis>0</ExportDelayMillis>
                    <Exporter>zipkin</Exporter>
                </OpenTelemetry>
            </APIManager>
            """
        )
        let error = #expect(throws: SynapseDiagnostics.self) { try APIManagerConfigReader.read(path: path) }
        let messages = error?.diagnostics.map(\.description) ?? []
        #expect(messages.count == 7)
        #expect(messages.first == "\(path):3:9: <Enabled> must be true or false")
        #expect(messages.dropFirst().first == "\(path):4:9: <Endpoint> must be an http:// or https:// URL, not 'collector:4318'")
        #expect(messages.dropFirst(2).first == "\(path):5:9: <Protocol> must be http/protobuf or http/json, not 'grpc'")
        #expect(messages.dropFirst(3).first == "\(path):6:9: <SamplingRatio> must be a number from 0 to 1, not '1.5'")
        #expect(messages.dropFirst(4).first == "\(path):7:9: <ServiceName> must not be empty")
        #expect(messages.dropFirst(5).first?.hasPrefix("\(path):8:9: <ExportDelayMillis> must be a whole number") == true)
        #expect(messages.last?.contains("Exporter") == true)
    }
}
