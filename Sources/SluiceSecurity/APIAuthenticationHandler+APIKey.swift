import SluiceMediation
import SluiceModel

/// WSO2 4.x API keys (`ApiKeyAuthenticator`): when `APISecurity` names `api_key` and the request carries a key in
/// the `apikey` header (or the `apiKeyHeader` the API names) or in a query parameter of that name, the key alone
/// authenticates the call. The key manager checks signature, revocation, expiry and subscriptions from memory
/// (900901, 900908, 900909); the call's address and `Referer` are checked here against the key's `permittedIP`
/// and `permittedReferer` (900908, HTTP 403). API keys carry no scopes and, as in WSO2, none are checked.
extension APIAuthenticationHandler {
    /// The API key of the request: the header first, then the query parameter.
    func apiKey(in context: MessageContext) -> (key: String, inQuery: Bool)? {
        if let header = context.headers.first(name: configuration.apiKeyHeader), !header.isEmpty { return (header, false) }
        if let parameter = context.queryParameter(configuration.apiKeyHeader), !parameter.isEmpty {
            return (parameter, true)
        }
        return nil
    }

    func authenticate(
        apiKey: String,
        inQuery: Bool,
        _ context: inout MessageContext,
        resource: DispatchedResource
    ) -> GatewayHandlerDecision {
        let request = KeyValidationRequest(
            accessToken: apiKey,
            apiContext: resource.context,
            apiVersion: resource.version,
            resource: resource.resourceTemplate,
            httpMethod: context.method,
            credential: .apiKey
        )
        let result: KeyValidationResult
        switch authorized(request, resource: resource, &context) {
        case .authorized(let answer): result = answer
        case .decided(let decision): return decision
        }
        if let permitted = result.permittedIPs, !permitted.permits(context.clientIP) {
            return fail(.resourceForbidden, &context)
        }
        if let permitted = result.permittedReferers, !permitted.permits(context.headers.first(name: "Referer")) {
            return fail(.resourceForbidden, &context)
        }
        Self.setAPIProperties(resource, caller: CallProperties.Caller(result), &context)
        // The key is a credential of the gateway's, not the backend's (WSO2 drops the query parameter too).
        context.headers.remove(name: configuration.apiKeyHeader)
        if inQuery { Self.removeQueryParameter(configuration.apiKeyHeader, &context) }
        attachBackendJWT(credential: apiKey, result, resource: resource, &context)
        metrics?.record(.valid)
        return .proceed
    }

    /// Drops the parameter `name` from the query the endpoint appends (axis2 `REST_URL_POSTFIX`).
    static func removeQueryParameter(_ name: String, _ context: inout MessageContext) {
        guard let postfix = context[property: SynapseProperty.restURLPostfix, scope: .axis2]?.stringValue,
            let mark = postfix.firstIndex(of: "?")
        else { return }
        let kept = QueryParameters.removing(named: name[...], from: postfix[postfix.index(after: mark)...])
        let path = postfix[..<mark]
        context[property: SynapseProperty.restURLPostfix, scope: .axis2] = .string(kept.isEmpty ? String(path) : path + "?" + kept)
    }
}

extension APIAuthenticationHandler.Configuration {
    /// The schemes of `APISecurity` (default `oauth2`); it must name `oauth2`, `api_key` or `mutualssl`, the
    /// schemes Sluice enforces, so that an API never ends up open because its only scheme is one Sluice does not
    /// implement.
    static func securitySchemes(_ spec: GatewayHandlerSpec) throws(MediationCompileError) -> Set<String> {
        guard let text = spec[property: "APISecurity"] ?? spec[property: "apiSecurity"] else { return ["oauth2"] }
        let schemes = Set(text.split(separator: ",").map { String($0.trimmingSpaces()) }.filter { !$0.isEmpty })
        guard schemes.contains("oauth2") || schemes.contains("api_key") || schemes.contains("mutualssl") else {
            throw MediationCompileError(
                .invalidConfiguration(
                    className: spec.className,
                    reason: "APISecurity '\(text)' names none of oauth2, api_key and mutualssl, the schemes Sluice enforces"
                ),
                location: spec.location
            )
        }
        return schemes
    }

    /// A non-empty token without spaces or colons.
    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains(where: { $0 == " " || $0 == ":" })
    }
}
