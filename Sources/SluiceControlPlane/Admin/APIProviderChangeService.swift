import Foundation
import Logging
package import SluiceStorage

/// WSO2's `POST /admin/v4/apis/{apiId}/change-provider?provider=`: an administrator hands an API to another user
/// (one who left, a team's account). The provider names the API's artifact (`provider--Name_vVersion.xml`), so an
/// API on the gateway is redeployed under the new name and the old file removed, from the next call.
package struct APIProviderChangeService: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// Creates the service.
    package init(services: APIManagerServices, logger: Logger) {
        self.services = services
        self.logger = logger
    }

    /// The scopes WSO2's operation takes (any one of them).
    package static let scopes = ["apim:admin", "apim:api_provider_change"]

    /// Makes `provider` the API's provider.
    /// - Returns: The API as stored.
    /// - Throws: ``ManagementError`` 403, 404 (the API), 400 (no such user; an API product, whose artifact is built
    ///   around its provider, or an API with a hand-edited Synapse source, which names the provider itself: both
    ///   stay with theirs), 409 when the user has an API of that name and version already; deployment errors
    ///   (storage and gateway are left as they were).
    package func changeProvider(apiID: String, to provider: String, by principal: Principal) async throws -> APIRecord {
        try principal.requireAny(Self.scopes)
        let provider = provider.trimmingCharacters(in: .whitespaces)
        guard !provider.isEmpty, let user = try await services.storage.user(named: provider) else {
            throw ManagementError.badRequest("provider: no user '\(provider)'")
        }
        return try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            guard record.provider != user.username else { return record }
            let stored = record.stored
            guard !stored.isProduct, stored.synapseSource == nil, stored.deployed?.synapseSource == nil else {
                throw ManagementError.badRequest(
                    "The \(stored.isProduct ? "API product's artifact" : "API's hand-edited Synapse source") names its "
                        + "provider: its provider cannot be changed"
                )
            }
            let taken = try await services.storage.apis().contains {
                $0.provider == user.username && $0.name == record.name && $0.version == record.version
            }
            guard !taken else {
                throw ManagementError.conflict("\(user.username) has an API \(record.name) \(record.version) already")
            }
            var changed = stored
            changed.definition.provider = user.username
            changed.deployed?.definition.provider = user.username
            var updated = record
            updated.provider = user.username
            updated.definition = changed.encoded()
            updated.updatedAt = Date()
            let deployment = APIDeploymentService(services: services, logger: logger)
            let onGateway = stored.gatewayDeployed && record.lifecycleState.isDeployed
            // The artifact's file is named after the provider: the old one goes before the new one is written.
            if onGateway { try await deployment.removeArtifacts(of: stored.live.definition) }
            let failure: (any Error)?
            do {
                try await deployment.serve(updated, replacing: record)
                failure = nil
            } catch {
                failure = error
            }
            if let failure {
                // The old artifact back (outside the catch: no await in one).
                if onGateway { _ = try? await deployment.redeploy(previous: record, updated: record) }
                throw failure
            }
            logger.info(
                "API provider changed",
                metadata: ["sluice.api": "\(record.id)", "sluice.provider": "\(record.provider) -> \(user.username)"]
            )
            return updated
        }
    }
}
