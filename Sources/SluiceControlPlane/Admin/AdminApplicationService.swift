import Foundation
import SluiceModel
package import SluiceStorage

/// Every owner's applications as the admin API sees them (WSO2's admin `Applications`): listing across owners,
/// reading, deleting, handing an application to another user and changing its token type. Internal clients (the
/// CLI's logins) stay out, as they do in the devportal.
package struct AdminApplicationService: Sendable {
    let services: APIManagerServices

    package init(services: APIManagerServices) {
        self.services = services
    }

    /// How the list is ordered.
    package enum Order: String, Sendable {
        case name
        case owner
    }

    /// The applications of `owner` (every owner's when nil) whose name contains `name` (ignoring case), by name
    /// or owner.
    package func applications(owner: String?, name: String?, order: Order, descending: Bool) async throws -> [ApplicationRecord] {
        var found = try await services.storage.applications(owner: owner).filter { !$0.isInternal }
        if let name { found = found.filter { $0.name.localizedCaseInsensitiveContains(name) } }
        found.sort { left, right in
            let (a, b) = order == .name ? (left.name, right.name) : (left.owner, right.owner)
            let compared = a.localizedCaseInsensitiveCompare(b)
            let ordered = compared == .orderedSame ? left.id < right.id : compared == .orderedAscending
            return descending ? !ordered : ordered
        }
        return found
    }

    /// One application.
    /// - Throws: ``ManagementError`` 404 (also for an internal client).
    package func application(_ id: String) async throws -> ApplicationRecord {
        guard let application = try await services.keyManager.application(id: id), !application.isInternal else {
            throw ManagementError.notFound("Application \(id) not found")
        }
        return application
    }

    /// Deletes an application with its keys, tokens (they stop working at once) and subscriptions.
    /// - Throws: ``ManagementError`` 404.
    package func delete(_ id: String) async throws {
        _ = try await application(id)
        _ = try await services.keyManager.deleteApplication(id: id)
    }

    /// Hands an application to another user, who must be able to use applications (`apim:subscribe`) and must
    /// not have one of that name. Keys, tokens and subscriptions stay with the application.
    /// - Throws: ``ManagementError`` 404, 400 (no such user, or one who cannot subscribe), 409 (name taken).
    package func changeOwner(_ id: String, to owner: String) async throws -> ApplicationRecord {
        var application = try await application(id)
        guard let user = try await services.storage.user(named: owner) else {
            throw ManagementError.badRequest("No user \(owner)")
        }
        let roles = Role.held(by: user.roles, in: try await services.storage.roles())
        guard roles.contains(where: { $0.scopes.contains("apim:subscribe") }) else {
            throw ManagementError.badRequest("\(user.username) may not use applications (no apim:subscribe)")
        }
        guard user.username.caseInsensitiveCompare(application.owner) != .orderedSame else { return application }
        if try await services.storage.application(owner: user.username, name: application.name) != nil {
            throw ManagementError.conflict("\(user.username) already has an application named \(application.name)")
        }
        application.owner = user.username
        try await services.keyManager.updateApplication(application)
        return application
    }

    /// Changes an application's owner and/or token type (`OAUTH` or `JWT`).
    /// - Throws: ``ManagementError`` 404, 400, 409 as ``changeOwner(_:to:)``.
    package func changeSettings(_ id: String, owner: String?, tokenType: String?) async throws -> ApplicationRecord {
        if let tokenType, !["OAUTH", "JWT"].contains(tokenType) {
            throw ManagementError.badRequest("tokenType must be JWT or OAUTH")
        }
        var application = try await application(id)
        if let owner, !owner.isEmpty { application = try await changeOwner(id, to: owner) }
        if let tokenType, tokenType != application.tokenType {
            application.tokenType = tokenType
            try await services.keyManager.updateApplication(application)
        }
        return application
    }
}
