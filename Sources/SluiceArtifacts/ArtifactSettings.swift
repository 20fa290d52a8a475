/// Gateway-wide settings the template builder applies to every API (WSO2 `api-manager.xml`).
public struct ArtifactSettings: Sendable, Hashable {
    /// `<CORSConfig>`: used for APIs whose own CORS configuration is absent or disabled; when this one is
    /// disabled too, the API gets no CORS handler.
    public var globalCORS: APICORSConfiguration
    /// `<ExtensionHandlerPosition>`: where `APIManagerExtensionHandler` sits in the chain.
    public var extensionHandlerPosition: ExtensionHandlerPosition
    /// The gateway's own address, which default-version artifacts forward to.
    public var gatewayURL: String

    /// Creates settings; the defaults are WSO2 API-M 2.x's.
    public init(
        globalCORS: APICORSConfiguration = .wso2Default,
        extensionHandlerPosition: ExtensionHandlerPosition = .bottom,
        gatewayURL: String = "http://localhost:8280"
    ) {
        self.globalCORS = globalCORS
        self.extensionHandlerPosition = extensionHandlerPosition
        self.gatewayURL = gatewayURL
    }

    /// Where the extension handler goes.
    public enum ExtensionHandlerPosition: String, Sendable, Hashable, CaseIterable {
        /// First in the chain, before latency statistics.
        case top
        /// Last in the chain (WSO2's default).
        case bottom
    }
}
