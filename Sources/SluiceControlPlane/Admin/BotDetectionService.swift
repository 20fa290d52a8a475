package import SluiceModel

/// The admin `GET /bot-detection-data`: what WSO2's bot trap (`_OpenService_`, context `/service`) recorded at
/// the gateways, newest first. The gateways write the records in the background (`BotAccessWriter`), keeping at
/// most ``BotAccess/defaultStoredLimit`` for ``BotAccess/defaultRetentionDays`` days.
package struct BotDetectionService: Sendable {
    let services: APIManagerServices

    /// Creates the service.
    package init(services: APIManagerServices) {
        self.services = services
    }

    /// WSO2's scopes of the read (any one of them).
    package static let scopes = ["apim:admin", "apim:bot_data"]

    /// The stored records, newest first.
    /// - Throws: ``ManagementError`` 403 without `apim:admin` or `apim:bot_data`.
    package func data(by principal: Principal) async throws -> [BotAccess] {
        try principal.requireAny(Self.scopes)
        return try await storage.botAccesses()
    }

    private var storage: any BotAccessRepository { services.storage }
}
