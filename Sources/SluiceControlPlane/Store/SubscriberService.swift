import Foundation
import SluiceKeyManager
package import SluiceModel
package import SluiceStorage

/// A subscriber's side of the devportal: sign-up, applications, subscriptions, keys, tokens and usage, with
/// the object-level rule of the REST API (another user's application or subscription is "not found").
/// The REST controllers and the Store portal share it.
package struct SubscriberService: Sendable {
    let services: APIManagerServices

    /// Creates the service.
    package init(services: APIManagerServices) {
        self.services = services
    }

    // MARK: - Sign-up

    /// What a self-signup form gives.
    package struct Signup: Sendable {
        package var username: String
        package var password: String
        package var email: String
        package var firstName: String
        package var lastName: String

        package init(username: String, password: String, email: String, firstName: String, lastName: String) {
            self.username = username
            self.password = password
            self.email = email
            self.firstName = firstName
            self.lastName = lastName
        }
    }

    /// Creates a subscriber and their `DefaultApplication`.
    /// - Throws: ``ManagementError`` 400 for a bad field, 409 for a taken user name, 500 when the default
    ///   application tier is missing (nothing is stored then).
    package func signUp(_ form: Signup) async throws -> (user: UserRecord, application: ApplicationRecord) {
        try UserRules.checkUsername(form.username)
        try UserRules.checkPassword(form.password)
        try UserRules.checkEmail(form.email)
        for (field, value) in [("firstName", form.firstName), ("lastName", form.lastName)]
        where value.trimmingCharacters(in: .whitespaces).isEmpty || value.count > 100 {
            throw ManagementError.badRequest("\(field) must be 1 to 100 characters")
        }
        // Checked before the user is stored, so a bad setting cannot leave a user without its application.
        let tier = services.configuration.defaultApplicationTier
        guard try await services.tierNames(.application).contains(tier) else {
            throw ManagementError.internalError("Sign-up is not available")
        }
        if try await services.storage.user(named: form.username) != nil {
            throw ManagementError.conflict("The user name \(form.username) is taken")
        }
        let user = UserRecord(
            username: form.username,
            passwordHash: services.keyManager.configuration.passwordHasher.hash(form.password),
            email: form.email,
            firstName: form.firstName.trimmingCharacters(in: .whitespaces),
            lastName: form.lastName.trimmingCharacters(in: .whitespaces),
            roles: [Role.subscriber.name],
            createdAt: Date()
        )
        try await services.storage.createUser(user)
        let application = try await services.keyManager.createApplication(
            name: "DefaultApplication",
            owner: user.username,
            throttlingTier: tier,
            description: "Created at sign-up"
        )
        return (user, application)
    }

    /// The principal of a signed-in user, with the scopes of the roles storage holds for them now.
    /// - Returns: nil when the user no longer exists.
    package func principal(username: String) async throws -> Principal? {
        guard let user = try await services.storage.user(named: username) else { return nil }
        let known = try await services.storage.roles()
        var scopes: Set<String> = []
        for name in user.roles {
            if let role = known.first(where: { $0.name == name }) ?? Role.defaults.first(where: { $0.name == name }) {
                scopes.formUnion(role.scopes)
            }
        }
        return Principal(username: user.username, roles: user.roles, scopes: scopes, method: .basic)
    }

    // MARK: - Applications

    /// The application tiers in effect.
    package func applicationTiers() async throws -> [ThrottleTier] {
        try await services.tiers(.application)
    }

    /// The caller's applications as stored (by name), with their subscription counts.
    package func applications(of principal: Principal) async throws -> [(application: ApplicationRecord, subscriptions: Int)] {
        try principal.require("apim:app_manage")
        var result: [(ApplicationRecord, Int)] = []
        for application in try await DevPortalSupport.portalApplications(owner: principal.username, services: services) {
            result.append((application, try await services.keyManager.subscriptions(applicationID: application.id).count))
        }
        return result
    }

    /// The caller's application.
    /// - Throws: ``ManagementError`` 404 for unknown applications and for other users' applications.
    package func application(_ id: String, principal: Principal) async throws -> ApplicationRecord {
        try principal.require("apim:app_manage")
        return try await DevPortalSupport.ownedApplication(id, principal: principal, services: services)
    }

    /// The caller's application with its subscription count.
    /// - Throws: ``ManagementError`` 404 for unknown applications and for other users' applications.
    package func applicationWithSubscriptionCount(_ id: String, principal: Principal) async throws
        -> (application: ApplicationRecord, subscriptions: Int)
    {
        let application = try await application(id, principal: principal)
        return (application, try await services.keyManager.subscriptions(applicationID: id).count)
    }

    /// Creates an application.
    /// - Throws: ``ManagementError`` 400 for a bad name, tier or description, 409 for a name the caller uses.
    /// - Parameter tokenType: `OAUTH` or `JWT`; nil keeps the key manager's default.
    package func createApplication(
        name: String,
        tier: String,
        description: String?,
        tokenType: String? = nil,
        principal: Principal
    ) async throws -> ApplicationRecord {
        try principal.require("apim:app_manage")
        try await check(name: name, tier: tier, description: description)
        if try await services.storage.application(owner: principal.username, name: name) != nil {
            throw ManagementError.conflict("You already have an application named \(name)")
        }
        var application = try await services.keyManager.createApplication(
            name: name,
            owner: principal.username,
            throttlingTier: tier,
            description: description
        )
        if let tokenType, tokenType != application.tokenType {
            application.tokenType = tokenType
            try await services.keyManager.updateApplication(application)
        }
        return application
    }

    /// Renames an application or changes its tier or description.
    /// - Throws: ``ManagementError`` 400, 404 (not the caller's), 409 (name taken).
    /// - Parameter tokenType: `OAUTH` or `JWT`; nil keeps the current one.
    package func updateApplication(
        _ id: String,
        name: String,
        tier: String,
        description: String?,
        tokenType: String? = nil,
        principal: Principal
    ) async throws -> ApplicationRecord {
        var application = try await application(id, principal: principal)
        try await check(name: name, tier: tier, description: description)
        if name != application.name, try await services.storage.application(owner: application.owner, name: name) != nil {
            throw ManagementError.conflict("An application named \(name) already exists")
        }
        application.name = name
        application.throttlingTier = tier
        application.description = description
        application.tokenType = tokenType ?? application.tokenType
        try await services.keyManager.updateApplication(application)
        return application
    }

    /// Deletes an application with its keys and subscriptions.
    /// - Throws: ``ManagementError`` 404 (not the caller's).
    package func deleteApplication(_ id: String, principal: Principal) async throws {
        _ = try await application(id, principal: principal)
        _ = try await services.keyManager.deleteApplication(id: id)
    }

    private func check(name: String, tier: String, description: String?) async throws {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed == name, name.count <= 100 else {
            throw ManagementError.badRequest("The name must be 1 to 100 characters without leading or trailing spaces")
        }
        let tiers = try await services.tierNames(.application)
        guard tiers.contains(tier) else {
            throw ManagementError.badRequest(
                "'\(tier)' is not an application tier; use one of \(tiers.sorted().joined(separator: ", "))"
            )
        }
        if let description, description.count > 1_000 {
            throw ManagementError.badRequest("The description must be at most 1000 characters")
        }
    }

    // MARK: - Subscriptions

    /// The subscriptions of the caller's application.
    package func subscriptions(applicationID: String, principal: Principal) async throws -> [SubscriptionRecord] {
        _ = try await application(applicationID, principal: principal)
        return try await services.keyManager.subscriptions(applicationID: applicationID)
    }

    /// Subscribes the caller's application to a published API with one of the tiers the API offers.
    /// - Throws: ``ManagementError`` 400 (not published, tier not offered), 404, 409 (already subscribed).
    package func subscribe(
        applicationID: String,
        apiID: String,
        tier: String,
        principal: Principal
    ) async throws -> SubscriptionRecord {
        try principal.require("apim:sub_manage")
        // Subscribing needs `apim:sub_manage` only (as the REST API): ownership, not `apim:app_manage`.
        let application = try await DevPortalSupport.ownedApplication(applicationID, principal: principal, services: services)
        let api = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        try Self.checkSubscribable(api, tier: tier)
        let existing = try await services.keyManager.subscriptions(applicationID: application.id)
        if existing.contains(where: { $0.apiID == api.id || ($0.apiContext == api.context && $0.apiVersion == api.version) }) {
            throw ManagementError.conflict("The application is already subscribed to \(api.name) \(api.version)")
        }
        return try await services.keyManager.subscribe(applicationID: application.id, apiID: api.id, tier: tier)
    }

    /// New subscriptions only to published APIs (not prototypes, not deprecated ones), with an offered tier.
    static func checkSubscribable(_ api: APIRecord, tier: String) throws(ManagementError) {
        guard api.lifecycleState == .published else {
            throw ManagementError.badRequest(
                "\(api.name) \(api.version) is \(api.lifecycleState.rawValue) and takes no new subscriptions"
            )
        }
        let offered = api.stored.definition.offeredTiers
        guard offered.contains(tier) else {
            throw ManagementError.badRequest(
                "\(api.name) \(api.version) does not offer the tier '\(tier)'; "
                    + "choose one of \(offered.joined(separator: ", "))"
            )
        }
    }

    /// Removes a subscription of one of the caller's applications.
    /// - Throws: ``ManagementError`` 404 (unknown, or not the caller's).
    package func unsubscribe(_ subscriptionID: String, principal: Principal) async throws {
        _ = try await subscription(subscriptionID, principal: principal)
        _ = try await services.keyManager.unsubscribe(id: subscriptionID)
    }

    /// The subscriptions of the caller's developer-portal applications, or of one of them.
    /// - Throws: ``ManagementError`` 403 without `apim:sub_manage`, 404 for an application that is not the
    ///   caller's.
    package func subscriptions(ofApplication applicationID: String?, principal: Principal) async throws
        -> [SubscriptionRecord]
    {
        try principal.require("apim:sub_manage")
        if let applicationID {
            _ = try await DevPortalSupport.ownedApplication(applicationID, principal: principal, services: services)
            return try await services.keyManager.subscriptions(applicationID: applicationID)
        }
        var subscriptions: [SubscriptionRecord] = []
        for application in try await DevPortalSupport.portalApplications(owner: principal.username, services: services) {
            subscriptions += try await services.keyManager.subscriptions(applicationID: application.id)
        }
        return subscriptions
    }

    /// A subscription of one of the caller's applications.
    /// - Throws: ``ManagementError`` 403 without `apim:sub_manage`, 404 (unknown, or not the caller's).
    package func subscription(_ subscriptionID: String, principal: Principal) async throws -> SubscriptionRecord {
        try principal.require("apim:sub_manage")
        guard let subscription = try await services.storage.subscription(id: subscriptionID),
            let application = try await services.keyManager.application(id: subscription.applicationID)
        else { throw ManagementError.notFound("Subscription \(subscriptionID) not found") }
        try principal.requireOwnership(of: application.owner, "Subscription \(subscriptionID)")
        return subscription
    }

    /// Moves a subscription of one of the caller's applications to another tier the API offers; its status stays
    /// (a blocked one stays blocked).
    /// - Throws: ``ManagementError`` 400 when the API is gone, no longer published or does not offer the tier,
    ///   404.
    package func changeTier(subscriptionID: String, to tier: String, principal: Principal) async throws
        -> SubscriptionRecord
    {
        let subscription = try await subscription(subscriptionID, principal: principal)
        guard let apiID = subscription.apiID, let api = try await services.storage.api(id: apiID) else {
            throw ManagementError.badRequest("The subscribed API no longer exists")
        }
        try Self.checkSubscribable(api, tier: tier)
        guard
            let updated = try await services.keyManager.updateSubscription(
                id: subscriptionID,
                tier: tier,
                status: subscription.status
            )
        else { throw ManagementError.notFound("Subscription \(subscriptionID) not found") }
        return updated
    }
}
