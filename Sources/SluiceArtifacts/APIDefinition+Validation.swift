import SluiceModel

extension APIDefinition {
    /// Checks the definition as the publisher does before it stores an API.
    /// - Parameter forDeployment: Also require what a gateway artifact needs: a provider and at least one
    ///   production or sandbox endpoint.
    /// - Throws: `APIValidationError` listing every problem found.
    public func validate(forDeployment: Bool = false) throws(APIValidationError) {
        let issues = validationIssues(forDeployment: forDeployment)
        if !issues.isEmpty { throw APIValidationError(issues: issues) }
    }

    /// Every problem with the definition, in field order; empty when it is valid.
    /// - Parameter forDeployment: Also require a provider and an endpoint.
    public func validationIssues(forDeployment: Bool = false) -> [APIValidationError.Issue] {
        var issues: [APIValidationError.Issue] = []
        func report(_ field: String, _ message: String) {
            issues.append(APIValidationError.Issue(field: field, message: message))
        }

        if let problem = Self.identifierProblem(name, what: "name") { report("name", problem) }
        if let problem = Self.identifierProblem(version, what: "version") { report("version", problem) }
        if let problem = Self.contextProblem(context) { report("context", problem) }
        if let provider {
            if provider.isEmpty || provider.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "\\" }) {
                report("provider", "provider must be a user name without spaces or slashes")
            }
        } else if forDeployment {
            report("provider", "provider is required to name the gateway artifact")
        }
        if transport.isEmpty { report("transport", "at least one transport (http, https) is required") }
        for (index, scheme) in transport.enumerated() where SynapseAPI.Transport(rawValue: scheme) == nil {
            report("transport[\(index)]", "transport '\(scheme)' is not one of http, https")
        }
        if let maxTps {
            if let production = maxTps.production, production < 1 {
                report("maxTps.production", "maximum requests per second must be at least 1")
            }
            if let sandbox = maxTps.sandbox, sandbox < 1 {
                report("maxTps.sandbox", "maximum requests per second must be at least 1")
            }
        }
        securityIssues(report: report)
        scopeIssues(report: report)
        operationIssues(report: report)
        if let endpointConfig {
            endpointConfig.validationIssues(report: report)
            if forDeployment && endpointConfig.productionEndpoints.isEmpty && endpointConfig.sandboxEndpoints.isEmpty {
                report("endpointConfig", "a production or sandbox endpoint is required to deploy the API")
            }
        } else if forDeployment {
            report("endpointConfig", "an endpoint configuration is required to deploy the API")
        }
        return issues
    }

    /// WSO2's scheme names; Sluice enforces `oauth2`, `api_key` and `mutualssl`, so one of them is required.
    static let securitySchemeNames: Set<String> = [
        "oauth2", "api_key", "basic_auth", "mutualssl", "oauth_basic_auth_api_key_mandatory", "mutualssl_mandatory",
    ]

    private func securityIssues(report: (String, String) -> Void) {
        if let securityScheme {
            for (index, scheme) in securityScheme.enumerated() where !Self.securitySchemeNames.contains(scheme) {
                report("securityScheme[\(index)]", "security scheme '\(scheme)' is not one of WSO2's")
            }
            if !securityScheme.contains("oauth2") && !securityScheme.contains("api_key") && !securityScheme.contains("mutualssl") {
                report("securityScheme", "securityScheme must include oauth2, api_key or mutualssl")
            }
            if securityScheme.contains("mutualssl_mandatory") && !securityScheme.contains("mutualssl") {
                report("securityScheme", "mutualssl_mandatory needs mutualssl")
            }
        }
        if let apiKeyHeader,
            apiKeyHeader.isEmpty || !apiKeyHeader.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        {
            report("apiKeyHeader", "apiKeyHeader must be a header name of letters, digits, '-' and '_'")
        }
    }

    private func operationIssues(report: (String, String) -> Void) {
        var seen: Set<String> = []
        // An undeclared scope has no roles, so the key manager never grants it: refuse it here, clearly.
        let declared = Set(scopes.map(\.name))
        for (index, operation) in operations.enumerated() {
            let field = "operations[\(index)]"
            let verb = operation.verb.uppercased()
            if !APIOperation.allowedVerbs.contains(verb) {
                let verbs = APIOperation.allowedVerbs.sorted().joined(separator: ", ")
                report("\(field).verb", "verb '\(operation.verb)' is not one of \(verbs)")
            }
            if let problem = Self.targetProblem(operation.target) { report("\(field).target", problem) }
            if let authType = operation.normalizedAuthType, !APIOperation.allowedAuthTypes.contains(authType) {
                report(
                    "\(field).authType",
                    "authType '\(authType)' is not one of None, Application, Application User, Any"
                )
            }
            if !seen.insert("\(verb) \(operation.target)").inserted {
                report(field, "operation \(verb) \(operation.target) is declared twice")
            }
            for (scopeIndex, scope) in operation.scopes.enumerated() where !declared.contains(scope) {
                report(
                    "\(field).scopes[\(scopeIndex)]",
                    "scope '\(scope)' is not declared in the API's scopes (declare it with the roles that may obtain it)"
                )
            }
        }
    }

    private func scopeIssues(report: (String, String) -> Void) {
        var names: Set<String> = []
        for (index, declaration) in scopes.enumerated() {
            let field = "scopes[\(index)].scope"
            let name = declaration.name
            if let problem = Self.scopeNameProblem(name) { report("\(field).name", problem) }
            if !names.insert(name).inserted { report("\(field).name", "scope '\(name)' is declared twice") }
            for (roleIndex, role) in declaration.bindings.enumerated()
            where role.isEmpty || role.contains(where: \.isNewline) {
                report("\(field).bindings[\(roleIndex)]", "a role binding must be a role name")
            }
        }
    }

    // MARK: - Field rules

    // Names and versions end up in artifact names and file names (`provider--name_vversion.xml`).
    private static func identifierProblem(_ value: String, what: String) -> String? {
        if value.isEmpty { return "\(what) is required" }
        if value.contains(where: \.isWhitespace) { return "\(what) '\(value)' must not contain spaces" }
        let allowed = value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        if !allowed { return "\(what) '\(value)' may contain only letters, digits, '-', '_' and '.'" }
        if what == "name" && value.contains("--") { return "name '\(value)' must not contain '--'" }
        // A version is a path segment of the served context.
        if what == "version" && (value == "." || value == "..") {
            return "version '\(value)' must not be a dot segment"
        }
        return nil
    }

    private static func contextProblem(_ context: String) -> String? {
        if context.isEmpty { return "context is required" }
        if context.first != "/" { return "context '\(context)' must start with '/'" }
        if context.contains(where: \.isWhitespace) { return "context '\(context)' must not contain spaces" }
        if context == "/" { return "context must name at least one path segment" }
        if context.hasSuffix("/") { return "context '\(context)' must not end with '/'" }
        let segments = context.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: \.isEmpty) { return "context '\(context)' must not contain '//'" }
        var versionPlaceholders = 0
        for segment in segments {
            // The gateway resolves dot segments, so `/a/../b` would be served somewhere else than it says.
            if segment == "." || segment == ".." {
                return "context '\(context)' must not contain the path segment '\(segment)'"
            }
            if segment == "{version}" {
                versionPlaceholders += 1
                continue
            }
            let allowed = segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.~".contains($0)) }
            if !allowed {
                return "context segment '\(segment)' may contain only letters, digits, '-', '_', '.' and '~' "
                    + "(or be '{version}')"
            }
        }
        if versionPlaceholders > 1 { return "context '\(context)' may hold '{version}' only once" }
        return nil
    }

    /// RFC 6749 §3.3 `scope-token`, at most 255 characters as WSO2's `Scope.name`.
    private static func scopeNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "scope name is required" }
        if name.count > 255 { return "scope name '\(name.prefix(32))...' is longer than 255 characters" }
        let valid = name.unicodeScalars.allSatisfy { scalar in
            scalar.value == 0x21 || (0x23...0x5B).contains(scalar.value) || (0x5D...0x7E).contains(scalar.value)
        }
        return valid ? nil : "scope name '\(name)' may hold only visible ASCII characters other than '\"' and '\\'"
    }

    private static func targetProblem(_ target: String) -> String? {
        guard target.first == "/" else { return "target '\(target)' must start with '/'" }
        if target.contains(where: \.isWhitespace) { return "target '\(target)' must not contain spaces" }
        switch ResourceDispatcher.wso2(target: target) {
        case .success: return nil
        case .failure(let error): return error.reason
        }
    }
}

extension APIEndpointConfig {
    fileprivate func validationIssues(report: (String, String) -> Void) {
        let groups: [(String, [APIEndpoint])] = [
            ("production_endpoints", productionEndpoints), ("sandbox_endpoints", sandboxEndpoints),
            ("production_failovers", productionFailovers), ("sandbox_failovers", sandboxFailovers),
        ]
        for (key, endpoints) in groups {
            for (index, endpoint) in endpoints.enumerated() {
                let field = "endpointConfig.\(key)[\(index)]"
                if let problem = Self.urlProblem(endpoint.url) { report("\(field).url", problem) }
                if let action = endpoint.config?.actionSelect,
                    EndpointTimeout.ResponseAction(rawValue: action) == nil
                {
                    report(
                        "\(field).config.actionSelect",
                        "actionSelect '\(action)' is not one of fault, discard, never"
                    )
                }
            }
        }
        if endpointType == .http || endpointType == .address {
            if productionEndpoints.count > 1 || sandboxEndpoints.count > 1 {
                report(
                    "endpointConfig.endpoint_type",
                    "endpoint_type '\(endpointType.rawValue)' takes one endpoint per key type; "
                        + "use 'load_balance' or 'failover'"
                )
            }
        }
        if endpointType != .failover && !(productionFailovers.isEmpty && sandboxFailovers.isEmpty) {
            report("endpointConfig.endpoint_type", "failover endpoints need endpoint_type 'failover'")
        }
        if let endpointTimeout, endpointTimeout < 0 {
            report("endpointConfig.endpoint_timeout", "endpoint_timeout must not be negative")
        }
    }

    private static func urlProblem(_ url: String) -> String? {
        let lowered = url.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lowered.hasPrefix($0) }) else {
            return "endpoint URL '\(url)' must start with http:// or https://"
        }
        let host = url.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if host.isEmpty || host.hasPrefix(":") { return "endpoint URL '\(url)' has no host" }
        if url.contains(where: \.isWhitespace) { return "endpoint URL '\(url)' must not contain spaces" }
        return nil
    }
}
