public import SluiceModel

/// One gateway artifact: the `<api>` and the file it is deployed as.
public struct GatewayArtifact: Sendable, Hashable {
    /// The file name inside the gateway's `api/` folder, e.g. `admin--PizzaShackAPI_v1.0.0.xml`.
    public var fileName: String
    /// The `<api>` to serialize into the file.
    public var api: SynapseAPI

    /// Creates an artifact.
    public init(fileName: String, api: SynapseAPI) {
        self.fileName = fileName
        self.api = api
    }
}
