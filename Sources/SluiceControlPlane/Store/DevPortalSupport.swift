import Foundation
import SluiceModel
import SluiceStorage

/// What the devportal shows: APIs in a store-visible state and visible to the caller.
enum DevPortalSupport {
    /// States the store lists; created, blocked and retired APIs are hidden.
    static let listedStates: Set<APILifecycleState> = [.published, .prototyped, .deprecated]

    /// Whether `principal` (nil: anonymous) may see the API in the store.
    static func isVisible(_ api: APIRecord, to principal: Principal?) -> Bool {
        guard listedStates.contains(api.lifecycleState) else { return false }
        switch api.visibility {
        case "PUBLIC": return true
        case "PRIVATE": return principal != nil
        // RESTRICTED: users holding one of the visible roles, the provider and administrators.
        default:
            guard let principal else { return false }
            if principal.isAdministrator || principal.username == api.provider { return true }
            let visibleRoles = api.stored.definition.visibleRoles ?? []
            return principal.roles.contains { visibleRoles.contains($0) }
        }
    }

    /// The store-visible API with this id for a known caller.
    static func visibleAPI(_ id: String, principal: Principal?, services: APIManagerServices) async throws -> APIRecord
    {
        guard let api = try await services.storage.api(id: id), isVisible(api, to: principal) else {
            throw ManagementError.notFound("API \(id) not found")
        }
        return api
    }

    /// The user's developer-portal applications: every one but the OAuth clients of tools (`sluice login`), which
    /// WSO2 keeps out of the developer portal too.
    static func portalApplications(owner: String, services: APIManagerServices) async throws -> [ApplicationRecord] {
        try await services.keyManager.applications(owner: owner).filter { !$0.isInternal }
    }

    /// The caller's application with this id.
    /// - Throws: ``ManagementError`` 404 for unknown applications, for other users' applications and for the
    ///   OAuth clients of tools, which the developer portal neither shows nor changes.
    static func ownedApplication(
        _ id: String,
        principal: Principal,
        services: APIManagerServices
    ) async throws -> ApplicationRecord {
        guard let application = try await services.keyManager.application(id: id), !application.isInternal else {
            throw ManagementError.notFound("Application \(id) not found")
        }
        try principal.requireOwnership(of: application.owner, "Application \(id)")
        return application
    }
}
