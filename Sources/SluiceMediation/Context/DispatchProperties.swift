/// The properties Synapse binds when it dispatches a request to an API resource (`SYNAPSE_REST_API`,
/// `REST_API_CONTEXT`, `REST_FULL_REQUEST_PATH`, `REST_SUB_REQUEST_PATH`, axis2 `REST_URL_POSTFIX`,
/// `uri.var.*`, `query.param.*`), derived from the dispatch when read instead of stored up front.
///
/// Every request is dispatched, but most of these values are never read (a passthrough reads only the
/// postfix), so binding them costs no dictionary insert and no string building; a property a mediator sets
/// or removes is kept in the context's dictionaries, which take precedence.
struct DispatchProperties: Sendable {
    let apiName: String
    let apiContext: String
    /// The request path and query as they were when the request was dispatched.
    let requestPath: String
    let query: String?
    /// `uri-template` bindings in template order (names without `uri.var.`); the first of a name wins.
    let uriVariables: [(String, String)]

    /// The value of a derived default-scope property, or nil when `name` is not one (or has no value).
    func value(named name: String) -> PropertyValue? {
        switch name {
        case SynapseProperty.synapseRestAPI:
            return .string(apiName)
        case SynapseProperty.restAPIContext:
            return .string(apiContext)
        case SynapseProperty.restFullRequestPath:
            return .string(requestPath + queryPart)
        case SynapseProperty.restSubRequestPath:
            return .string(subPath + queryPart)
        default:
            if let variable = Self.suffix(of: name, after: SynapseProperty.uriVariablePrefix) {
                return uriVariables.first { $0.0 == variable }.map { .string($0.1) }
            }
            if let parameter = Self.suffix(of: name, after: SynapseProperty.queryParameterPrefix) {
                return queryParameter(parameter).map(PropertyValue.string)
            }
            return nil
        }
    }

    /// Whether `value(named:)` may answer for `name` (so removing it must hide the derived value).
    static func derives(_ name: String) -> Bool {
        switch name {
        case SynapseProperty.synapseRestAPI, SynapseProperty.restAPIContext, SynapseProperty.restFullRequestPath,
            SynapseProperty.restSubRequestPath:
            return true
        default:
            return name.hasPrefix(SynapseProperty.uriVariablePrefix)
                || name.hasPrefix(SynapseProperty.queryParameterPrefix)
        }
    }

    /// Axis2 `REST_URL_POSTFIX`: the sub-path and query an address endpoint appends. Synapse leaves it empty for
    /// a request to the bare context, so the endpoint URI stays as is.
    var urlPostfix: String {
        requestPath.count > apiContext.count ? subPath + queryPart : queryPart
    }

    private var queryPart: String {
        query.map { "?" + $0 } ?? ""
    }

    /// The path below the API context, at least `/`.
    private var subPath: String {
        let below = requestPath.hasPrefix(apiContext) ? String(requestPath.dropFirst(apiContext.count)) : requestPath
        return below.isEmpty ? "/" : below
    }

    /// `query.param.<name>` as Synapse fills it (see `QueryParameters`).
    private func queryParameter(_ name: Substring) -> String? {
        query.flatMap { QueryParameters.value(named: name, in: $0[...]) }
    }

    private static func suffix(of name: String, after prefix: String) -> Substring? {
        name.hasPrefix(prefix) ? name.dropFirst(prefix.count) : nil
    }
}
