import Hummingbird
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// The Admin pages at `/admin` (administrators only): users and their roles, and the throttling policies of
/// every level. Changes go through ``AdminService``, the admin REST API's logic, so policy changes reach the
/// gateways without a restart either way.
struct AdminPortal: Sendable {
    let portal: Portal

    private var admin: AdminService { AdminService(services: portal.services) }

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/admin") { request, _ in
            _ = try await caller(request)
            return Portal.redirect(to: "/admin/users")
        }
        router.get("/admin/users") { request, _ in try await users(request) }
        router.post("/admin/users") { request, _ in try await createUser(request) }
        router.post("/admin/users/:username/roles") { request, context in
            try await setRoles(request, username: context.parameters.require("username"))
        }
        router.get("/admin/policies") { request, _ in try await policies(request) }
        addAnalyticsRoutes(to: router)
        router.get("/admin/policies/:level/new") { request, context in
            try await newPolicy(request, segment: context.parameters.require("level"))
        }
        router.post("/admin/policies/:level") { request, context in
            try await createPolicy(request, segment: context.parameters.require("level"))
        }
        router.get("/admin/policies/:level/:name/edit") { request, context in
            try await editPolicy(
                request,
                segment: context.parameters.require("level"),
                name: context.parameters.require("name")
            )
        }
        router.post("/admin/policies/:level/:name") { request, context in
            try await updatePolicy(
                request,
                segment: context.parameters.require("level"),
                name: context.parameters.require("name")
            )
        }
        router.post("/admin/policies/:level/:name/delete") { request, context in
            try await deletePolicy(
                request,
                segment: context.parameters.require("level"),
                name: context.parameters.require("name")
            )
        }
    }

    // MARK: - Shared

    func caller(_ request: Request) async throws -> (session: PortalSession, principal: Principal) {
        try await PortalPrincipal.resolve(request, portal: portal, area: .admin)
    }

    private func form(_ request: Request, _ session: PortalSession) async throws -> PortalForm {
        try await portal.form(request, session: session, area: .admin)
    }

    func tabs(current: String) -> [PortalLayout.Link] {
        [("Users", "/admin/users"), ("Throttling policies", "/admin/policies"), ("Analytics", "/admin/analytics")].map {
            PortalLayout.Link(label: $0.0, href: $0.1, current: $0.0 == current)
        }
    }

    private static func level(_ segment: String) throws -> TierLevel {
        guard let level = AdminService.policyLevels.first(where: { $0.segment == segment })?.level else {
            throw ManagementError.notFound("There are no \(segment) policies")
        }
        return level
    }

    private static func messages(_ error: any Error) -> [String]? {
        guard let error = error as? ManagementError, error.status.code < 500 else { return nil }
        return error.items.isEmpty ? [error.detail] : error.items.map(\.description)
    }

    // MARK: - Users

    private func users(_ request: Request) async throws -> Response {
        let (session, principal) = try await caller(request)
        return try await usersPage(principal: principal, session: session)
    }

    private func usersPage(
        principal: Principal,
        session: PortalSession,
        draft: (username: String, email: String, roles: [String])? = nil,
        errors: [String] = []
    ) async throws -> Response {
        let roles = try await admin.roles(by: principal).map(\.name)
        let users = try await admin.users(by: principal).map { user -> [String: Any] in
            [
                "username": user.username, "email": user.email ?? "", "isSelf": user.username == principal.username,
                "roles": roles.map { ["name": $0, "checked": user.roles.contains($0), "slug": Self.slug($0)] },
                "roleList": user.roles.isEmpty ? "none" : user.roles.joined(separator: ", "),
            ]
        }
        let values: [String: Any] = [
            "tabs": tabs(current: "Users"), "users": users,
            "draftUsername": draft?.username ?? "", "draftEmail": draft?.email ?? "",
            "newRoles": roles.map {
                [
                    "name": $0, "checked": draft?.roles.contains($0) ?? ($0 == Role.subscriber.name),
                    "slug": Self.slug($0),
                ]
            },
            "errors": errors, "hasErrors": !errors.isEmpty,
        ]
        return portal.page(
            "admin/users",
            title: "Users",
            session: session,
            area: .admin,
            values: values,
            status: errors.isEmpty ? .ok : .badRequest
        )
    }

    private func createUser(_ request: Request) async throws -> Response {
        let (session, principal) = try await caller(request)
        let form = try await form(request, session)
        let username = form.text("username") ?? ""
        let email = form.text("email")
        let roles = form.values("roles")
        do {
            let user = try await admin.createUser(
                username: username,
                password: form["password"] ?? "",
                email: email,
                roles: roles,
                by: principal
            )
            return portal.redirect(
                to: "/admin/users",
                flash: .init("Created the user \(user.username)"),
                session: session
            )
        } catch {
            guard let messages = Self.messages(error) else { throw error }
            // The password is never sent back into the form.
            return try await usersPage(
                principal: principal,
                session: session,
                draft: (username, email ?? "", roles),
                errors: messages
            )
        }
    }

    private func setRoles(_ request: Request, username: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        let form = try await form(request, session)
        do {
            let user = try await admin.setRoles(form.values("roles"), username: username, by: principal)
            return portal.redirect(
                to: "/admin/users",
                flash: .init("\(user.username) now has: \(user.roles.joined(separator: ", "))"),
                session: session
            )
        } catch {
            guard let messages = Self.messages(error) else { throw error }
            return portal.redirect(
                to: "/admin/users",
                flash: .init(messages.joined(separator: " "), isError: true),
                session: session
            )
        }
    }

    /// An id-safe form of a role name (`Internal/creator` → `Internal-creator`).
    private static func slug(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    // MARK: - Policies

    private func policies(_ request: Request) async throws -> Response {
        let (session, principal) = try await caller(request)
        let segment = request.uri.queryParameters.get("level") ?? "subscription"
        let level = try Self.level(segment)
        var rows: [[String: Any]] = []
        for tier in try await admin.policies(level, by: principal) {
            let window = AdminService.window(of: tier)
            let stored = try await admin.isStoredPolicy(tier.name, level: level)
            let editable = tier.name != ThrottleTier.unlimited.name
            let bandwidth = AdminService.bandwidth(of: tier)
            rows.append([
                "name": tier.name, "displayName": AdminService.displayName(of: tier),
                "quota": tier.maxCount.map { "\($0) per \(window.unitTime) \(window.timeUnit)" }
                    ?? bandwidth.map { "\($0.dataAmount) \($0.dataUnit) per \(window.unitTime) \(window.timeUnit)" }
                    ?? "unlimited",
                "burst": tier.burstLimit.map { "\($0) per \((tier.burstUnitTime ?? 1_000) <= 1_000 ? "sec" : "min")" }
                    ?? "—",
                "description": tier.description ?? "", "hasDescription": !(tier.description ?? "").isEmpty,
                "source": stored ? "Administrator" : "Tier file",
                "canEdit": editable, "canDelete": stored, "segment": segment,
            ])
        }
        let levels = AdminService.policyLevels.map { entry -> [String: Any] in
            [
                "segment": entry.segment, "label": Self.title(entry.level), "current": entry.segment == segment,
            ]
        }
        return portal.page(
            "admin/policies",
            title: "Throttling policies",
            session: session,
            area: .admin,
            values: [
                "tabs": tabs(current: "Throttling policies"), "levels": levels, "policies": rows,
                "segment": segment, "levelTitle": Self.title(level), "isSubscription": level == .subscription,
            ]
        )
    }

    private static func title(_ level: TierLevel) -> String {
        switch level {
        case .subscription: "Subscription"
        case .application: "Application"
        case .resource: "Advanced (API and resource)"
        }
    }

    private func newPolicy(_ request: Request, segment: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        try principal.requireAny(["apim:admin_tier_manage", "apim:tier_manage"])
        let level = try Self.level(segment)
        return policyPage(PolicyForm(), level: level, segment: segment, isEdit: false, session: session)
    }

    private func editPolicy(_ request: Request, segment: String, name: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        let level = try Self.level(segment)
        guard let tier = try await admin.policies(level, by: principal).first(where: { $0.name == name }),
            tier.name != ThrottleTier.unlimited.name
        else { throw ManagementError.notFound("No editable \(segment) policy \(name)") }
        return policyPage(PolicyForm(tier: tier), level: level, segment: segment, isEdit: true, session: session)
    }

    private func createPolicy(_ request: Request, segment: String) async throws -> Response {
        try await savePolicy(request, segment: segment, name: nil)
    }

    private func updatePolicy(_ request: Request, segment: String, name: String) async throws -> Response {
        try await savePolicy(request, segment: segment, name: name)
    }

    /// Creates (`name` nil) or updates the policy the form describes; a refused form comes back with its errors.
    private func savePolicy(_ request: Request, segment: String, name: String?) async throws -> Response {
        let (session, principal) = try await caller(request)
        let level = try Self.level(segment)
        var submitted = PolicyForm(form: try await form(request, session))
        if let name { submitted.name = name }
        do {
            let tier = try submitted.tier(level: level)
            if name == nil {
                try await admin.createPolicy(tier, level: level, by: principal)
            } else {
                try await admin.updatePolicy(tier, level: level, by: principal)
            }
            return portal.redirect(
                to: "/admin/policies?level=\(segment)",
                flash: .init("\(name == nil ? "Created" : "Saved") the \(segment) policy \(tier.name); gateways apply it now"),
                session: session
            )
        } catch {
            guard let messages = Self.messages(error) else { throw error }
            return policyPage(
                submitted,
                level: level,
                segment: segment,
                isEdit: name != nil,
                session: session,
                errors: messages
            )
        }
    }

    private func deletePolicy(_ request: Request, segment: String, name: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        _ = try await form(request, session)
        let level = try Self.level(segment)
        do {
            try await admin.deletePolicy(named: name, level: level, by: principal)
            return portal.redirect(
                to: "/admin/policies?level=\(segment)",
                flash: .init("Deleted the \(segment) policy \(name)"),
                session: session
            )
        } catch {
            guard let messages = Self.messages(error) else { throw error }
            return portal.redirect(
                to: "/admin/policies?level=\(segment)",
                flash: .init(messages.joined(separator: " "), isError: true),
                session: session
            )
        }
    }

    private func policyPage(
        _ form: PolicyForm,
        level: TierLevel,
        segment: String,
        isEdit: Bool,
        session: PortalSession,
        errors: [String] = []
    ) -> Response {
        var values = form.view(level: level, segment: segment, isEdit: isEdit, errors: errors)
        values["tabs"] = tabs(current: "Throttling policies")
        values["levelTitle"] = Self.title(level)
        return portal.page(
            "admin/policy-form",
            title: isEdit ? "Edit \(form.name)" : "New \(segment) policy",
            session: session,
            area: .admin,
            values: values,
            status: errors.isEmpty ? .ok : .badRequest
        )
    }
}
