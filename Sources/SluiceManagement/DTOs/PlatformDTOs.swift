import Foundation
import SluiceControlPlane

/// WSO2's `Environment` (admin) and the publisher's environment in `Settings`: Sluice's one gateway environment.
struct EnvironmentDTO: Encodable, Sendable {
    struct VHost: Encodable, Sendable {
        var host: String
        var httpContext = ""
        var httpPort: Int
        var httpsPort: Int
    }

    var id: String
    var name: String
    var displayName: String
    var type = "hybrid"
    var gatewayType = "Regular"
    var provider = "wso2"
    var description = "The gateways of this Sluice installation"
    var isReadOnly = true
    var serverUrl: String
    var showInApiConsole = true
    var vhosts: [VHost]

    init(_ environment: PlatformService.GatewayEnvironment) {
        id = environment.id
        name = environment.name
        displayName = environment.name
        serverUrl = "https://\(environment.host):\(environment.httpsPort)"
        vhosts = [VHost(host: environment.host, httpPort: environment.httpPort, httpsPort: environment.httpsPort)]
    }
}

/// WSO2's `KeyManager` / `KeyManagerInfo`: the built-in key manager with its endpoints under `base`.
struct KeyManagerDTO: Encodable, Sendable {
    var id = PlatformService.keyManagerID
    var name = PlatformService.keyManagerName
    var displayName = PlatformService.keyManagerName
    var type = "default"
    var description = "Sluice's built-in key manager"
    var enabled = true
    var isGlobal = false
    var isUsed = true
    var tokenType = "DIRECT"
    var availableGrantTypes: [String]
    var tokenEndpoint: String
    var revokeEndpoint: String
    var introspectionEndpoint: String
    var authorizeEndpoint: String
    var clientRegistrationEndpoint: String
    var wellKnownEndpoint: String
    var enableTokenGeneration = true
    var enableOAuthAppCreation = true
    var enableMapOAuthConsumerApps = false
    var enableTokenEncryption = false
    var enableTokenHashing = true
    var enableSelfValidationJWT = true
    var applicationConfiguration: [String] = []

    init(grantTypes: [String], base: String) {
        availableGrantTypes = grantTypes
        tokenEndpoint = base + "/oauth2/token"
        revokeEndpoint = base + "/oauth2/revoke"
        introspectionEndpoint = base + "/oauth2/introspect"
        authorizeEndpoint = base + "/oauth2/authorize"
        clientRegistrationEndpoint = base + "/client-registration/v0.17/register"
        wellKnownEndpoint = base + "/oauth2/token/.well-known/openid-configuration"
    }
}

/// WSO2's `Scope` of a system-scope list: a REST API scope and its roles.
struct SystemScopeDTO: Codable, Sendable {
    var name: String
    var roles: [String]
    var tag: String?
    var description: String?

    init(_ scope: PlatformService.SystemScope) {
        name = scope.name
        roles = scope.roles
    }

    /// The binding this item asks for.
    var binding: PlatformService.SystemScope { PlatformService.SystemScope(name: name, roles: roles) }
}

/// `ScopeList` as `PUT /system-scopes` takes it.
struct SystemScopeListDTO: Codable, Sendable {
    var count: Int?
    var list: [SystemScopeDTO]
}

/// WSO2's `RoleAlias`: a role and the roles whose users hold it too.
struct RoleAliasDTO: Codable, Sendable {
    var role: String
    var aliases: [String]

    init(_ alias: PlatformService.RoleAlias) {
        role = alias.role
        aliases = alias.aliases
    }

    var alias: PlatformService.RoleAlias { PlatformService.RoleAlias(role: role, aliases: aliases) }
}

/// WSO2's `RoleAliasList` as `PUT /system-scopes/role-aliases` takes it (the whole mapping).
struct RoleAliasListDTO: Codable, Sendable {
    var count: Int?
    var list: [RoleAliasDTO]
}

/// The publisher's `Settings`: what its portal and apictl need to know of this installation.
struct PublisherSettingsDTO: Encodable, Sendable {
    var environment: [EnvironmentDTO]
    var scopes: [String]
    var gatewayTypes = ["Regular"]
    var monetizationAttributes: [String] = []
    var externalStoresEnabled = false
    var docVisibilityEnabled = false
    var portalConfigurationOnlyModeEnabled = false
    var crossTenantSubscriptionEnabled = false
    var defaultAdvancePolicy = "Unlimited"
    var defaultSubscriptionPolicy = "Unlimited"
    var authorizationHeader = "Authorization"
    var IsJWTEnabledForLoginTokens = false
    var orgAccessControlEnabled = false
    var designAssistantEnabled = false
    var isMCPSupportEnabled = false

    init(environment: PlatformService.GatewayEnvironment, scopes: [PlatformService.SystemScope]) {
        self.environment = [EnvironmentDTO(environment)]
        self.scopes = scopes.map(\.name)
    }
}

/// The devportal's `Settings`.
struct DevPortalSettingsDTO: Encodable, Sendable {
    var grantTypes: [String]
    var scopes: [String] = []
    var applicationSharingEnabled = false
    var mapExistingAuthApps = false
    var apiGatewayEndpoint: String
    var monetizationEnabled = false
    var recommendationEnabled = false
    var IsUnlimitedTierPaid = false
    var IsAnonymousModeEnabled = true
    var IsPasswordChangeEnabled = false
    var IsJWTEnabledForLoginTokens = false
    var orgAccessControlEnabled = false
    var apiChatEnabled = false
    var marketplaceAssistantEnabled = false

    init(grantTypes: [String], gateway: PlatformService.GatewayEnvironment) {
        self.grantTypes = grantTypes
        apiGatewayEndpoint = "http://\(gateway.host):\(gateway.httpPort),https://\(gateway.host):\(gateway.httpsPort)"
    }
}

/// The admin API's `Settings`.
struct AdminSettingsDTO: Encodable, Sendable {
    var scopes: [String]
    var gatewayTypes = ["Regular"]
    var IsJWTEnabledForLoginTokens = false
    var orgAccessControlEnabled = false
    var keyManagerConfiguration: [String] = []
    var analyticsEnabled = false
    var transactionCounterEnable = false
    var isGatewayNotificationEnabled = false

    init(scopes: [PlatformService.SystemScope]) {
        self.scopes = scopes.map(\.name)
    }
}
