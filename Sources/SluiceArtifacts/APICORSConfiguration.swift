/// `corsConfiguration` of the publisher DTO, also used for the gateway-wide CORS default.
public struct APICORSConfiguration: Sendable, Hashable, Codable {
    /// Whether the API answers CORS requests with these settings.
    public var corsConfigurationEnabled: Bool
    /// `Access-Control-Allow-Origin` values (`*` for any origin).
    public var accessControlAllowOrigins: [String]
    /// `Access-Control-Allow-Headers` values.
    public var accessControlAllowHeaders: [String]
    /// `Access-Control-Allow-Methods` values.
    public var accessControlAllowMethods: [String]
    /// `Access-Control-Allow-Credentials`.
    public var accessControlAllowCredentials: Bool

    /// Creates a CORS configuration; absent values take WSO2's `api-manager.xml` defaults.
    public init(
        corsConfigurationEnabled: Bool = true,
        accessControlAllowOrigins: [String] = Self.wso2Default.accessControlAllowOrigins,
        accessControlAllowHeaders: [String] = Self.wso2Default.accessControlAllowHeaders,
        accessControlAllowMethods: [String] = Self.wso2Default.accessControlAllowMethods,
        accessControlAllowCredentials: Bool = false
    ) {
        self.corsConfigurationEnabled = corsConfigurationEnabled
        self.accessControlAllowOrigins = accessControlAllowOrigins
        self.accessControlAllowHeaders = accessControlAllowHeaders
        self.accessControlAllowMethods = accessControlAllowMethods
        self.accessControlAllowCredentials = accessControlAllowCredentials
    }

    private enum CodingKeys: String, CodingKey {
        case corsConfigurationEnabled, accessControlAllowOrigins, accessControlAllowHeaders
        case accessControlAllowMethods, accessControlAllowCredentials
    }

    /// Decodes a configuration; absent fields take WSO2's defaults, and an absent flag means disabled.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self.wso2Default
        self.init(
            corsConfigurationEnabled: try container.decodeIfPresent(Bool.self, forKey: .corsConfigurationEnabled)
                ?? false,
            accessControlAllowOrigins: try container.decodeIfPresent(
                [String].self,
                forKey: .accessControlAllowOrigins
            ) ?? defaults.accessControlAllowOrigins,
            accessControlAllowHeaders: try container.decodeIfPresent(
                [String].self,
                forKey: .accessControlAllowHeaders
            ) ?? defaults.accessControlAllowHeaders,
            accessControlAllowMethods: try container.decodeIfPresent(
                [String].self,
                forKey: .accessControlAllowMethods
            ) ?? defaults.accessControlAllowMethods,
            accessControlAllowCredentials: try container.decodeIfPresent(
                Bool.self,
                forKey: .accessControlAllowCredentials
            ) ?? false
        )
    }

    /// The `<CORSConfig>` defaults shipped in WSO2 API-M 2.x `api-manager.xml` (enabled).
    public static let wso2Default = APICORSConfiguration(
        corsConfigurationEnabled: true,
        accessControlAllowOrigins: ["*"],
        accessControlAllowHeaders: ["authorization", "Access-Control-Allow-Origin", "Content-Type", "SOAPAction"],
        accessControlAllowMethods: ["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"],
        accessControlAllowCredentials: false
    )

    /// CORS turned off.
    public static let disabled = APICORSConfiguration(corsConfigurationEnabled: false)
}
