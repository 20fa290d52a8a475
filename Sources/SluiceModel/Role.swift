/// A role of the API manager and the WSO2 REST API scopes it grants (`tenant-conf.json` `RESTAPIScopes`).
public struct Role: Sendable, Hashable, Codable {
    /// The role name, e.g. `admin` or `Internal/subscriber`.
    public var name: String
    /// The OAuth2 scopes a user with this role may obtain.
    public var scopes: Set<String>
    /// Other roles whose users hold this role too (WSO2's role aliases: a user-store role mapped onto a system
    /// role, e.g. `Buyers` onto `Internal/subscriber`).
    public var aliases: [String]

    /// Creates a role.
    /// - Parameters:
    ///   - name: The role name.
    ///   - scopes: The scopes the role grants.
    ///   - aliases: The roles whose users hold this one too.
    public init(name: String, scopes: Set<String>, aliases: [String] = []) {
        self.name = name
        self.scopes = scopes
        self.aliases = aliases
    }

    private enum CodingKeys: String, CodingKey { case name, scopes, aliases }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        scopes = try container.decode(Set<String>.self, forKey: .scopes)
        aliases = try container.decodeIfPresent([String].self, forKey: .aliases) ?? []
    }

    /// The roles a user with `userRoles` holds: those named, and those naming one of them as an alias.
    public static func held(by userRoles: [String], in roles: [Role]) -> [Role] {
        let named = Set(userRoles)
        return roles.filter { named.contains($0.name) || $0.aliases.contains(where: named.contains) }
    }

    /// `Internal/creator`: designs APIs and their documents, no lifecycle changes.
    public static let creator = Role(
        name: "Internal/creator",
        scopes: [
            "apim:api_create", "apim:api_delete", "apim:api_view", "apim:api_generate_key", "apim:tier_view",
            "apim:subscription_view", "apim:document_create", "apim:document_manage", "apim:mediation_policy_view",
            "apim:mediation_policy_create", "apim:mediation_policy_manage", "apim:client_certificates_view",
            "apim:client_certificates_add", "apim:client_certificates_update", "apim:ep_certificates_view",
            "apim:ep_certificates_add", "apim:ep_certificates_update", "apim:api_product_import_export",
            "apim:comment_view", "apim:comment_write",
        ]
    )

    /// `Internal/publisher`: moves APIs through their lifecycle and manages subscriptions to them.
    public static let publisher = Role(
        name: "Internal/publisher",
        scopes: [
            "apim:api_publish", "apim:api_view", "apim:tier_view", "apim:subscription_view",
            "apim:subscription_block", "apim:subscription_manage", "apim:document_create", "apim:document_manage",
            "apim:api_generate_key", "apim:client_certificates_view", "apim:ep_certificates_view",
            "apim:comment_view", "apim:comment_write",
        ]
    )

    /// `Internal/subscriber`: the developer portal (applications, subscriptions, keys, ratings, comments).
    public static let subscriber = Role(
        name: "Internal/subscriber",
        scopes: [
            "apim:subscribe", "apim:app_manage", "apim:app_update", "apim:sub_manage", "apim:api_key",
            "apim:store_settings", "apim:app_import_export",
        ]
    )

    /// `admin`: every scope of the other roles plus administration.
    public static let admin = Role(
        name: "admin",
        scopes: creator.scopes.union(publisher.scopes).union(subscriber.scopes).union([
            "apim:admin", "apim:tier_manage", "apim:bl_manage", "apim:bl_view", "apim:api_manage",
            "apim:api_workflow_view", "apim:api_workflow_approve", "apim:app_owner_change", "apim:admin_operations",
            "apim:admin_settings", "apim:admin_tier_view", "apim:admin_tier_manage", "apim:keymanagers_manage",
            "apim:api_import_export", "apim:policies_import_export", "apim:scope_manage", "apim:shared_scope_manage",
            "apim:monetization_usage_publish", "apim:app_settings", "apim:comment_manage",
        ])
    )

    /// The four roles Sluice creates on first start, in the order they are listed to users.
    public static let defaults: [Role] = [admin, creator, publisher, subscriber]
}
