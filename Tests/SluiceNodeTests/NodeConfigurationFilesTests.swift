import Foundation
import Logging
import SluiceModel
import SluiceNode
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
}
