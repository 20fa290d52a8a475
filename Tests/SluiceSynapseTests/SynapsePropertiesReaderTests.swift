import SluiceModel
import SluiceSynapse
import SluiceTesting
import Testing

/// `repository/conf/synapse.properties`, the file WSO2 API-M 4.x generates from deployment.toml's
/// `[synapse_properties]` table and Synapse reads with `java.util.Properties`.
@Suite struct SynapsePropertiesReaderTests {
    /// Without the file, or without the entry, WSO2 4.x writes no `<?xml-multiple?>` marks.
    @Test func missingFileOrEntryGivesWSO2Defaults() throws {
        #expect(try SynapsePropertiesReader.read(path: "/nonexistent/synapse.properties") == .defaults)
        #expect(SynapseProperties.defaults.jsonToXMLProcessingInstructions == false)
        let other = try SynapsePropertiesReader.parse("synapse.global_timeout_interval=120000\n", fileName: "s")
        #expect(other == .defaults)
    }

    /// Java's properties syntax: `=`, `:` or white space between key and value, comments, continuation lines,
    /// escapes; the last entry of a key wins.
    @Test(arguments: [
        ("synapse.json.to.xml.process.instruction.enable=true", true),
        ("  synapse.json.to.xml.process.instruction.enable : TRUE ", true),
        ("synapse.json.to.xml.process.instruction.enable true", true),
        ("synapse.json.to.xml.process.instruction.enable=\\\n    true", true),
        ("synapse.json.to.xml.process.instruction\\u002Eenable=true", true),
        ("# synapse.json.to.xml.process.instruction.enable=true", false),
        ("! synapse.json.to.xml.process.instruction.enable=true", false),
        ("synapse.json.to.xml.process.instruction.enable=true\r\nsynapse.json.to.xml.process.instruction.enable=false", false),
    ])
    func readsTheProcessingInstructionSwitch(text: String, enabled: Bool) throws {
        let settings = try SynapsePropertiesReader.parse(text, fileName: "synapse.properties")
        #expect(settings.jsonToXMLProcessingInstructions == enabled)
    }

    /// Java's `Boolean.parseBoolean` reads anything but `true` as false; a typo would silently turn the marks
    /// off, so Sluice refuses it with the file and line.
    @Test func aValueThatIsNotABooleanIsRefusedWithItsLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "synapse.properties",
            "# JSON\nsynapse.commons.json.preserve.namespace=false\nsynapse.json.to.xml.process.instruction.enable=yes\n"
        )
        #expect {
            _ = try SynapsePropertiesReader.read(path: path)
        } throws: { error in
            (error as? SynapseDiagnostics)?.description
                == "\(path):3:1: synapse.json.to.xml.process.instruction.enable must be true or false, not 'yes'"
        }
        #expect(throws: SynapseDiagnostics.self) {
            _ = try SynapsePropertiesReader.parse("a=\\u12\n", fileName: "s")
        }
    }
}
