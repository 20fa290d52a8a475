import Foundation
import Logging
import SluiceModel
import SluiceNode
import SluiceTesting
import Testing

/// The configuration files a node reads from `repository/conf/` at WSO2's paths.
@Suite struct NodeConfigurationFilesTests {
    /// WSO2 4.x ships `repository/conf/synapse.properties` (written from deployment.toml's `[synapse_properties]`);
    /// the shipped one keeps WSO2's default, and the node gives the gateway what the file says.
    @Test func synapsePropertiesReachTheNodeOptions() throws {
        let repository = try TestRepository()
        let logger = Logger(label: "test")
        let shipped = try NodeOptions.reading(repository: repository.path, environment: [:], logger: logger)
        #expect(shipped.synapseProperties.jsonToXMLProcessingInstructions == false)

        try "synapse.json.to.xml.process.instruction.enable=true\n"
            .write(toFile: repository.path + "/conf/synapse.properties", atomically: true, encoding: .utf8)
        let enabled = try NodeOptions.reading(repository: repository.path, environment: [:], logger: logger)
        #expect(enabled.synapseProperties.jsonToXMLProcessingInstructions == true)

        try "synapse.json.to.xml.process.instruction.enable=on\n"
            .write(toFile: repository.path + "/conf/synapse.properties", atomically: true, encoding: .utf8)
        #expect {
            _ = try NodeOptions.reading(repository: repository.path, environment: [:], logger: logger)
        } throws: { error in
            (error as? NodeAssemblyError)?.description.contains("synapse.properties:1:1:") == true
        }
    }

    private func identity(validity: Int) -> String {
        """
        <Server xmlns="http://wso2.org/projects/carbon/carbon.xml"><OAuth>
          <AccessTokenDefaultValidityPeriod>\(validity)</AccessTokenDefaultValidityPeriod>
        </OAuth></Server>
        """
    }

    /// WSO2 keeps identity.xml at `repository/conf/identity/identity.xml`; Sluice reads it there, and when the
    /// older `conf/identity.xml` exists too, WSO2's wins and the log says which file was left unread.
    @Test func identityXMLAtWSO2sPathWinsWithALogLine() throws {
        let repository = try TestRepository()
        let conf = repository.path + "/conf"
        try FileManager.default.createDirectory(atPath: conf + "/identity", withIntermediateDirectories: true)
        try identity(validity: 1234).write(toFile: conf + "/identity/identity.xml", atomically: true, encoding: .utf8)
        try identity(validity: 777).write(toFile: conf + "/identity.xml", atomically: true, encoding: .utf8)
        let recorder = LogRecorder()
        let both = try NodeOptions.reading(repository: repository.path, environment: [:], logger: recorder.logger(level: .info))
        #expect(both.identity.applicationAccessTokenValidity == 1234)
        let warning = try #require(recorder.entries.first { $0.level == .warning })
        #expect(warning.metadata["sluice.config.file"] == .string(conf + "/identity/identity.xml"))
        #expect(warning.metadata["sluice.config.ignored"] == .string(conf + "/identity.xml"))

        try FileManager.default.removeItem(atPath: conf + "/identity.xml")
        let quiet = LogRecorder()
        let alone = try NodeOptions.reading(repository: repository.path, environment: [:], logger: quiet.logger(level: .info))
        #expect(alone.identity.applicationAccessTokenValidity == 1234)
        #expect(quiet.entries.isEmpty)
    }

    /// A malformed identity.xml stops the node with the file and line; WSO2's defaults are not used instead.
    @Test func aMalformedIdentityXMLIsReportedWithFileAndLine() throws {
        let repository = try TestRepository()
        let conf = repository.path + "/conf"
        try FileManager.default.createDirectory(atPath: conf + "/identity", withIntermediateDirectories: true)
        try "<Server>\n  <OAuth>\n    <TimestampSkew>300\n  </OAuth>\n</Server>\n"
            .write(toFile: conf + "/identity/identity.xml", atomically: true, encoding: .utf8)
        #expect {
            _ = try NodeOptions.reading(repository: repository.path, environment: [:], logger: Logger(label: "test"))
        } throws: { error in
            let description = (error as? NodeAssemblyError)?.description ?? ""
            return description.contains(conf + "/identity/identity.xml:4:")
        }
        try "<Server><OAuth><TimestampSkew>soon</TimestampSkew></OAuth></Server>"
            .write(toFile: conf + "/identity/identity.xml", atomically: true, encoding: .utf8)
        #expect {
            _ = try NodeOptions.reading(repository: repository.path, environment: [:], logger: Logger(label: "test"))
        } throws: { error in
            ((error as? NodeAssemblyError)?.description ?? "").contains(conf + "/identity/identity.xml:1:")
        }
    }
}
