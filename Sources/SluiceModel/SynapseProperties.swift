/// The settings of `repository/conf/synapse.properties` Sluice acts on. WSO2 API-M 4.x writes that file from
/// `deployment.toml`'s `[synapse_properties]` table; Synapse reads it once at start.
public struct SynapseProperties: Sendable, Hashable {
    /// `synapse.json.to.xml.process.instruction.enable`: JSON made into XML announces its arrays with
    /// `<?xml-multiple name?>` processing instructions. WSO2 4.x's default is false.
    public var jsonToXMLProcessingInstructions: Bool

    /// The name of the property behind `jsonToXMLProcessingInstructions`.
    public static let jsonToXMLProcessingInstructionsKey = "synapse.json.to.xml.process.instruction.enable"

    /// WSO2 API-M 4.x's defaults (no `synapse.properties` entries).
    public static let defaults = SynapseProperties()

    /// Creates settings.
    /// - Parameter jsonToXMLProcessingInstructions: Write `<?xml-multiple?>` marks when JSON becomes XML.
    public init(jsonToXMLProcessingInstructions: Bool = false) {
        self.jsonToXMLProcessingInstructions = jsonToXMLProcessingInstructions
    }
}
