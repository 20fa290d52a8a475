import SluiceArtifacts
import SluiceModel

/// The Publisher's create/edit form of an API: the values a browser sends, turned into the same
/// `APIDefinition` the REST API takes (so the same checks run), and back into what the form shows.
///
/// Resources are repeated rows (`op_verb`, `op_target`, `op_auth`, `op_tier`, `op_scopes`, one value per row, in
/// order); rows without a path are ignored, so the page can offer blank rows without JavaScript. Scopes are rows too
/// (`scope_name`, `scope_roles`: the roles that may obtain the scope, comma-separated); rows without a name are
/// ignored.
struct APIForm {
    var name = ""
    var context = ""
    var version = ""
    var description = ""
    var tags = ""
    var visibility = APIVisibility.public.rawValue
    var endpointType = APIEndpointConfig.EndpointType.http.rawValue
    var productionURL = ""
    var sandboxURL = ""
    var policies: [String] = [ThrottleTier.unlimited.name]
    var apiThrottlingPolicy = ""
    var isDefaultVersion = false
    var operations: [Operation] = [Operation(verb: "GET", target: "/*", authType: "Any", tier: "", scopes: "")]
    var scopes: [Scope] = []
    var corsEnabled = false
    var corsOrigins = "*"
    var corsHeaders = APICORSConfiguration.wso2Default.accessControlAllowHeaders.joined(separator: ", ")
    var corsMethods = APICORSConfiguration.wso2Default.accessControlAllowMethods
    var corsCredentials = false
    /// Fields from the stored definition the form does not edit (kept as they are on save).
    var preserved: APIDefinition?

    /// One resource row.
    struct Operation: Hashable {
        var verb: String
        var target: String
        var authType: String
        /// Empty: the API's default.
        var tier: String
        /// The scopes a token needs (any of them), comma- or space-separated.
        var scopes: String
    }

    /// One scope row: its name and the roles that may obtain it.
    struct Scope: Hashable {
        var name: String
        /// Comma-separated role names; empty: anyone may obtain the scope.
        var roles: String
    }

    /// How many blank resource rows the form offers below the filled ones.
    static let blankRows = 3
    static let verbs = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
    static let authTypes = ["Any", "Application", "Application User", "None"]
    static let endpointTypes: [(value: String, label: String)] = [
        (APIEndpointConfig.EndpointType.http.rawValue, "HTTP (URI template)"),
        (APIEndpointConfig.EndpointType.address.rawValue, "Address (path appended)"),
    ]

    // MARK: - From the browser

    /// Reads a submitted form.
    init(form: PortalForm) {
        name = form.text("name") ?? ""
        context = form.text("context") ?? ""
        version = form.text("version") ?? ""
        description = form["description"] ?? ""
        tags = form["tags"] ?? ""
        visibility = form.text("visibility") ?? APIVisibility.public.rawValue
        endpointType = form.text("endpointType") ?? APIEndpointConfig.EndpointType.http.rawValue
        productionURL = form.text("productionURL") ?? ""
        sandboxURL = form.text("sandboxURL") ?? ""
        policies = form.values("policies")
        apiThrottlingPolicy = form.text("apiThrottlingPolicy") ?? ""
        isDefaultVersion = form["isDefaultVersion"] != nil
        let verbs = form.values("op_verb")
        let targets = form.values("op_target")
        let auths = form.values("op_auth")
        let tiers = form.values("op_tier")
        let operationScopes = form.values("op_scopes")
        operations = targets.indices.compactMap { index in
            let target = targets[index].trimmingCharacters(in: .whitespaces)
            guard !target.isEmpty else { return nil }
            return Operation(
                verb: index < verbs.count ? verbs[index] : "GET",
                target: target,
                authType: index < auths.count ? auths[index] : "Any",
                tier: index < tiers.count ? tiers[index] : "",
                scopes: index < operationScopes.count ? operationScopes[index] : ""
            )
        }
        let scopeNames = form.values("scope_name")
        let scopeRoles = form.values("scope_roles")
        scopes = scopeNames.indices.compactMap { index in
            let name = scopeNames[index].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { return nil }
            return Scope(name: name, roles: index < scopeRoles.count ? scopeRoles[index] : "")
        }
        corsEnabled = form["corsEnabled"] != nil
        corsOrigins = form["corsOrigins"] ?? ""
        corsHeaders = form["corsHeaders"] ?? ""
        corsMethods = form.values("corsMethods")
        corsCredentials = form["corsCredentials"] != nil
    }

    /// An empty form for a new API.
    init() {}

    /// The form of a stored definition.
    init(definition: APIDefinition) {
        name = definition.name
        context = definition.context
        version = definition.version
        description = definition.description ?? ""
        tags = definition.tags.joined(separator: ", ")
        visibility = (definition.visibility ?? .public).rawValue
        endpointType = (definition.endpointConfig?.endpointType ?? .http).rawValue
        productionURL = definition.endpointConfig?.productionEndpoints.first?.url ?? ""
        sandboxURL = definition.endpointConfig?.sandboxEndpoints.first?.url ?? ""
        policies = definition.policies
        apiThrottlingPolicy = definition.apiThrottlingPolicy ?? ""
        isDefaultVersion = definition.isDefaultVersion
        operations = definition.operations.map {
            Operation(
                verb: $0.verb,
                target: $0.target,
                authType: $0.normalizedAuthType ?? "Any",
                tier: $0.throttlingPolicy ?? "",
                scopes: $0.scopes.joined(separator: ", ")
            )
        }
        scopes = definition.scopes.map { Scope(name: $0.name, roles: $0.bindings.joined(separator: ", ")) }
        if let cors = definition.corsConfiguration {
            corsEnabled = cors.corsConfigurationEnabled
            corsOrigins = cors.accessControlAllowOrigins.joined(separator: ", ")
            corsHeaders = cors.accessControlAllowHeaders.joined(separator: ", ")
            corsMethods = cors.accessControlAllowMethods
            corsCredentials = cors.accessControlAllowCredentials
        }
        preserved = definition
    }

    // MARK: - To the services

    /// The definition the form describes. Settings the form does not show (failover endpoints, business
    /// information, max TPS, scope labels, transports) are kept from `preserved` on an edit.
    var definition: APIDefinition {
        var definition = preserved ?? APIDefinition(name: name, context: context, version: version)
        definition.name = name
        definition.context = context
        definition.version = version
        definition.description = description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : description
        definition.tags = Self.list(tags)
        definition.visibility = APIVisibility(rawValue: visibility) ?? .public
        definition.policies = policies
        definition.apiThrottlingPolicy = apiThrottlingPolicy.isEmpty ? nil : apiThrottlingPolicy
        definition.isDefaultVersion = isDefaultVersion
        var endpoints = definition.endpointConfig ?? APIEndpointConfig()
        endpoints.endpointType = APIEndpointConfig.EndpointType(rawValue: endpointType) ?? .http
        endpoints.productionEndpoints = Self.replacingFirst(endpoints.productionEndpoints, with: productionURL)
        endpoints.sandboxEndpoints = Self.replacingFirst(endpoints.sandboxEndpoints, with: sandboxURL)
        let hasEndpoints = !endpoints.productionEndpoints.isEmpty || !endpoints.sandboxEndpoints.isEmpty
        definition.endpointConfig = hasEndpoints ? endpoints : nil
        definition.operations = operations.map { row in
            APIOperation(
                target: row.target,
                verb: row.verb,
                authType: row.authType,
                throttlingPolicy: row.tier.isEmpty ? nil : row.tier,
                scopes: Self.words(row.scopes)
            )
        }
        let labelled = Dictionary((preserved?.scopes ?? []).map { ($0.name, $0.scope) }, uniquingKeysWith: { a, _ in a })
        definition.scopes = scopes.map { row in
            // Display names and descriptions are not on the form: a scope keeps them.
            var scope = labelled[row.name] ?? APIScope.Scope(name: row.name)
            scope.bindings = Self.list(row.roles)
            return APIScope(scope: scope)
        }
        if corsEnabled {
            definition.corsConfiguration = APICORSConfiguration(
                corsConfigurationEnabled: true,
                accessControlAllowOrigins: Self.list(corsOrigins),
                accessControlAllowHeaders: Self.list(corsHeaders),
                accessControlAllowMethods: corsMethods,
                accessControlAllowCredentials: corsCredentials
            )
        } else {
            definition.corsConfiguration = preserved?.corsConfiguration == nil ? nil : .disabled
        }
        return definition
    }

    /// Comma-separated text as a list without blanks or duplicates, in order.
    static func list(_ text: String) -> [String] {
        var seen: Set<String> = []
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Scope names separated by commas or spaces, without blanks or duplicates, in order.
    static func words(_ text: String) -> [String] {
        list(text.split(whereSeparator: \.isWhitespace).joined(separator: ","))
    }

    private static func replacingFirst(_ endpoints: [APIEndpoint], with url: String) -> [APIEndpoint] {
        guard !url.isEmpty else { return [] }
        guard var first = endpoints.first else { return [APIEndpoint(url: url)] }
        // The first endpoint keeps its advanced settings when only its URL changes.
        first.url = url
        return [first] + endpoints.dropFirst()
    }
}
