import Foundation
import Hummingbird
import Logging
import SluiceControlPlane

/// What WSO2's portals and apictl read first: the three APIs' `settings`, the key manager, the gateway environment,
/// role checks and the REST scopes' role bindings (`system-scopes`). Rules live in ``PlatformService``.
struct PlatformController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    private var platform: PlatformService { PlatformService(services: services) }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let publisher = PublisherAPIsController.prefix
        let devportal = DevPortalAPIsController.prefix
        let admin = AdminController.prefix
        routes.get("\(publisher)/settings") { request, _ in
            try await principal(request, "apim:api_view")
            let scopes = try await platform.allScopes()
            return JSONResponses.response(PublisherSettingsDTO(environment: platform.environment, scopes: scopes))
        }
        routes.get("\(devportal)/settings") { request, _ in
            _ = try await services.authenticator.optionalPrincipal(for: request)
            return JSONResponses.response(DevPortalSettingsDTO(grantTypes: platform.grantTypes, gateway: platform.environment))
        }
        routes.get("\(devportal)/settings/application-attributes") { request, _ in
            _ = try await services.authenticator.optionalPrincipal(for: request)
            return JSONResponses.response(ListDTO([String]()))
        }
        routes.get("\(admin)/settings") { request, _ in
            try await principal(request, "apim:admin")
            let scopes = try await platform.allScopes()
            return JSONResponses.response(AdminSettingsDTO(scopes: scopes))
        }
        for (base, scope) in [(publisher, "apim:api_view"), (admin, "apim:admin")] {
            routes.get("\(base)/key-managers") { request, _ in
                try await principal(request, scope)
                return JSONResponses.response(ListDTO([keyManager(request)]))
            }
        }
        routes.get("\(devportal)/key-managers") { request, _ in
            _ = try await services.authenticator.optionalPrincipal(for: request)
            return JSONResponses.response(ListDTO([keyManager(request)]))
        }
        routes.get("\(admin)/key-managers/:keyManagerId") { request, context in
            try await principal(request, "apim:admin")
            let id = context.parameters.path("keyManagerId")
            guard id == PlatformService.keyManagerID || id == PlatformService.keyManagerName else {
                throw ManagementError.notFound("No key manager \(id); Sluice has one, \(PlatformService.keyManagerID)")
            }
            return JSONResponses.response(keyManager(request))
        }
        routes.get("\(admin)/environments") { request, _ in
            try await principal(request, "apim:admin")
            return JSONResponses.response(ListDTO([EnvironmentDTO(platform.environment)]))
        }
        routes.get("\(admin)/environments/:environmentId") { request, context in
            try await principal(request, "apim:admin")
            let environment = platform.environment
            let id = context.parameters.path("environmentId")
            guard id == environment.id || id == environment.name else {
                throw ManagementError.notFound("No gateway environment \(id); Sluice has one, \(environment.name)")
            }
            return JSONResponses.response(EnvironmentDTO(environment))
        }
        addRoleAndScopeRoutes(to: routes)
    }

    private func addRoleAndScopeRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let publisher = PublisherAPIsController.prefix
        let admin = AdminController.prefix
        for (base, scope) in [(publisher, "apim:api_view"), (admin, "apim:admin")] {
            routes.on(.head, "\(base)/roles/:roleId") { request, context in
                try await principal(request, scope)
                let exists = try await platform.roleExists(context.parameters.path("roleId"))
                return Response(status: exists ? .ok : .notFound)
            }
        }
        routes.on(.head, "\(publisher)/me/roles/:roleId") { request, context in
            let caller = try await principal(request, "apim:api_view")
            let role = context.parameters.path("roleId")
            let held = !Set(caller.roles).isDisjoint(with: PlatformService.roleNames(for: role))
            return Response(status: held ? .ok : .notFound)
        }
        routes.get("\(admin)/system-scopes") { request, _ in
            let caller = try await services.authenticator.principal(for: request)
            let scopes = try await platform.systemScopes(by: caller)
            return JSONResponses.response(ListDTO(scopes.map(SystemScopeDTO.init)))
        }
        routes.put("\(admin)/system-scopes") { request, _ in
            let caller = try await services.authenticator.principal(for: request)
            try caller.requireAny(["apim:admin", "apim:scope_manage"])
            let dto = try await services.decoder.decode(SystemScopeListDTO.self, from: request)
            let scopes = try await platform.bindSystemScopes(dto.list.map(\.binding), by: caller)
            return JSONResponses.response(ListDTO(scopes.map(SystemScopeDTO.init)))
        }
        routes.get("\(admin)/system-scopes/role-aliases") { request, _ in
            let caller = try await services.authenticator.principal(for: request)
            let aliases = try await platform.roleAliases(by: caller)
            return JSONResponses.response(ListDTO(aliases.map(RoleAliasDTO.init)))
        }
        routes.put("\(admin)/system-scopes/role-aliases") { request, _ in
            let caller = try await services.authenticator.principal(for: request)
            try caller.requireAny(["apim:admin", "apim:scope_manage"])
            let dto = try await services.decoder.decode(RoleAliasListDTO.self, from: request)
            let aliases = try await platform.setRoleAliases(dto.list.map(\.alias), by: caller)
            return JSONResponses.response(ListDTO(aliases.map(RoleAliasDTO.init)))
        }
        routes.get("\(admin)/system-scopes/:scopeName") { request, context in
            let caller = try await services.authenticator.principal(for: request)
            try caller.requireAny(["apim:admin", "apim:scope_manage"])
            let raw = context.parameters.path("scopeName")
            let name = raw.removingPercentEncoding ?? raw
            let held = try await platform.userHasScope(name, username: request.query("username"), by: caller)
            guard held else { throw ManagementError.notFound("The user does not hold \(name)") }
            return JSONResponses.response(["name": name])
        }
    }

    @discardableResult
    private func principal(_ request: Request, _ scope: String) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require(scope)
        return principal
    }

    /// The key manager with endpoints at the address the caller used.
    private func keyManager(_ request: Request) -> KeyManagerDTO {
        let host = request.head.authority ?? "localhost:9763"
        let scheme = request.head.scheme ?? "http"
        return KeyManagerDTO(grantTypes: platform.grantTypes, base: "\(scheme)://\(host)")
    }
}
