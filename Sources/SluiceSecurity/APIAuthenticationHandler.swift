public import SluiceJWT
public import SluiceMediation
public import SluiceModel

/// WSO2's `APIAuthenticationHandler`: authenticates the bearer token of each call, checks the application's
/// subscription, the API's state and the resource's scopes, records who calls in the message context, and
/// answers failures exactly as WSO2 does (codes 900900-900910, `WWW-Authenticate` on 401, JSON or XML).
///
/// Properties: `AuthorizationHeader` (or `authorizationHeader`; default `Authorization`): the header carrying
/// the token; `RemoveOAuthHeadersFromOutMessage` (default `true`): drop that header before the backend;
/// `APISecurity` (default `oauth2`): the comma-separated schemes the API accepts, of which Sluice enforces
/// `oauth2`, `api_key` (WSO2 4.x API keys, see `APIAuthenticationHandler+APIKey.swift`) and `mutualssl` with its
/// flags (client certificates, see `APIAuthenticationHandler+MutualTLS.swift`); `apiKeyHeader` (default
/// `apikey`): the header, and query parameter, carrying an API key; `certificateInformation`: the certificates
/// uploaded for a mutual-TLS API. Other WSO2 properties (`apiUUID`, `keyManagers`, `APILevelPolicy`) are accepted
/// and ignored.
///
/// Resources whose auth type is `None` pass without a token, as the `anonymous` user with a PRODUCTION key.
public struct APIAuthenticationHandler: GatewayHandler {
    /// The names this handler is registered under.
    public static let classNames = [
        "org.wso2.carbon.apimgt.gateway.handlers.security.APIAuthenticationHandler",
        "APIAuthenticationHandler",
    ]

    /// Handler settings.
    public struct Configuration: Sendable, Hashable {
        /// The header carrying `Bearer <token>`.
        public var headerName: String
        /// Remove that header before the request goes to the backend.
        public var removeOAuthHeaders: Bool
        /// Whether OAuth2 access tokens are accepted (`oauth2` in `APISecurity`).
        public var acceptsOAuth2: Bool
        /// Whether API keys are accepted (`api_key` in `APISecurity`).
        public var acceptsAPIKey: Bool
        /// The header and query parameter carrying an API key.
        public var apiKeyHeader: String
        /// Client certificates (`mutualssl` in `APISecurity`), nil when the API does not use them.
        public var mutualTLS: MutualTLSPolicy?
        /// Whether a token or key is required even when a certificate authenticates (always, without mutual TLS;
        /// with it, when `APISecurity` names `oauth_basic_auth_api_key_mandatory`).
        public var applicationSecurityMandatory: Bool

        /// Creates settings.
        public init(
            headerName: String = "Authorization",
            removeOAuthHeaders: Bool = true,
            acceptsOAuth2: Bool = true,
            acceptsAPIKey: Bool = false,
            apiKeyHeader: String = "apikey",
            mutualTLS: MutualTLSPolicy? = nil,
            applicationSecurityMandatory: Bool = true
        ) {
            self.headerName = headerName
            self.removeOAuthHeaders = removeOAuthHeaders
            self.acceptsOAuth2 = acceptsOAuth2
            self.acceptsAPIKey = acceptsAPIKey
            self.apiKeyHeader = apiKeyHeader
            self.mutualTLS = mutualTLS
            self.applicationSecurityMandatory = applicationSecurityMandatory
        }

        /// Reads the settings from `<handler>` properties.
        /// - Throws: `MediationCompileError.invalidConfiguration` for an empty header name or a non-boolean flag.
        public init(spec: GatewayHandlerSpec) throws(MediationCompileError) {
            let header = spec[property: "AuthorizationHeader"] ?? spec[property: "authorizationHeader"] ?? "Authorization"
            guard Self.isHeaderName(header) else {
                throw MediationCompileError(
                    .invalidConfiguration(className: spec.className, reason: "AuthorizationHeader must be a header name"),
                    location: spec.location
                )
            }
            var remove = true
            if let text = spec[property: "RemoveOAuthHeadersFromOutMessage"] {
                switch text.lowercased() {
                case "true": remove = true
                case "false": remove = false
                default:
                    throw MediationCompileError(
                        .invalidConfiguration(
                            className: spec.className, reason: "RemoveOAuthHeadersFromOutMessage must be true or false"
                        ),
                        location: spec.location
                    )
                }
            }
            let schemes = try Self.securitySchemes(spec)
            let apiKeyHeader = spec[property: "apiKeyHeader"] ?? "apikey"
            guard Self.isHeaderName(apiKeyHeader) else {
                throw MediationCompileError(
                    .invalidConfiguration(className: spec.className, reason: "apiKeyHeader must be a header name"),
                    location: spec.location
                )
            }
            let applicationLevel = schemes.contains("oauth2") || schemes.contains("api_key")
            self.init(
                headerName: header,
                removeOAuthHeaders: remove,
                acceptsOAuth2: schemes.contains("oauth2"),
                acceptsAPIKey: schemes.contains("api_key"),
                apiKeyHeader: apiKeyHeader,
                mutualTLS: try Self.mutualTLSPolicy(spec, schemes: schemes),
                applicationSecurityMandatory: applicationLevel
                    && (!schemes.contains("mutualssl") || schemes.contains("oauth_basic_auth_api_key_mandatory"))
            )
        }
    }

    public let configuration: Configuration
    public let source: KeyValidationSource
    /// Lifecycle states reported by the publisher; nil when nothing reports them.
    public let statuses: APIStatusRegistry?
    /// The deployed `_auth_failure_handler_` sequence, bound at deploy time; nil answers WSO2's default fault.
    public private(set) var failureSequence: CompiledSequence?
    /// Makes the JWT sent to backends (`JWTConfiguration`); nil when that is off.
    public let backendJWT: BackendJWTIssuer?
    /// Counts each call's outcome; nil counts nothing.
    public let metrics: KeyValidationMetrics?
    let clock: EpochClock

    /// Creates the handler.
    /// - Parameters:
    ///   - configuration: Header name and header removal.
    ///   - source: The key manager, in process or behind a cache.
    ///   - statuses: API lifecycle states, for 900907.
    ///   - clock: Stamps `api.ut.requestTime` when no earlier handler did.
    ///   - backendJWT: Makes the JWT sent to backends; nil sends none.
    ///   - metrics: Counts each call's outcome (`sluice_key_validations_total`); nil counts nothing.
    public init(
        configuration: Configuration = Configuration(),
        source: KeyValidationSource,
        statuses: APIStatusRegistry? = nil,
        clock: EpochClock = .system,
        backendJWT: BackendJWTIssuer? = nil,
        metrics: KeyValidationMetrics? = nil
    ) {
        self.configuration = configuration
        self.source = source
        self.statuses = statuses
        self.clock = clock
        self.backendJWT = backendJWT
        self.metrics = metrics
    }

    public func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision {
        handleRequest(&context, resource: context.dispatchedResource)
    }

    /// Picks up the deployed `_auth_failure_handler_`, which then runs on every failure.
    public func bound(to deployment: GatewayHandlerDeployment) -> any GatewayHandler {
        var handler = self
        handler.failureSequence = deployment.sequence(named: AuthenticationFailure.sequenceName)
        return handler
    }

    /// Authenticates one request to `resource`.
    /// - Parameters:
    ///   - context: The request; on failure it becomes WSO2's fault response.
    ///   - resource: What the gateway dispatched to; nil answers 900906.
    /// - Returns: `.proceed`, `.respond` with the failure, or `.suspend` while a remote key manager answers.
    public func handleRequest(_ context: inout MessageContext, resource: DispatchedResource?) -> GatewayHandlerDecision {
        guard let resource else { return fail(.noMatchingResource, &context) }
        // WSO2 looks for a resource that lists the request's method; OPTIONS reaches one that does not list it only
        // when no CORS handler answered first, and then no resource matches (APIKeyValidator.findMatchingVerb).
        if context.method == "OPTIONS" && !resource.methods.contains("OPTIONS") {
            return fail(.noMatchingResource, &context)
        }
        if context[property: APIManagerProperty.requestTime] == nil {
            context[property: APIManagerProperty.requestTime] = .integer(Int(clock.millisecondsSinceEpoch()))
        }
        if statuses?.isBlocked(context: resource.context, version: resource.version) == true {
            return fail(.apiBlocked, &context)
        }
        if resource.authType.isAnonymous {
            let anonymous = CallProperties.Caller(
                keyType: KeyType.production.rawValue,
                user: APIManagerProperty.anonymousUser,
                subscriptionTier: "Unauthenticated"
            )
            Self.setAPIProperties(resource, caller: anonymous, &context)
            return .proceed
        }
        if let policy = configuration.mutualTLS {
            switch checkClientCertificate(policy, &context, resource: resource) {
            case .authenticated:
                metrics?.record(.valid)
                return .proceed
            case .refused(let decision): return decision
            case .continueWithCredentials: break
            }
        }
        if configuration.acceptsAPIKey, let apiKey = apiKey(in: context) {
            return authenticate(apiKey: apiKey.key, inQuery: apiKey.inQuery, &context, resource: resource)
        }
        guard configuration.acceptsOAuth2 else {
            return fail(.missingCredentials(header: configuration.apiKeyHeader, value: "API_KEY"), &context)
        }
        guard let header = context.headers.first(name: configuration.headerName), let token = Self.bearerToken(header)
        else {
            return fail(.missingCredentials(header: configuration.headerName), &context)
        }
        // Scopes are checked here rather than by the key manager, so one cached answer serves every resource.
        let request = KeyValidationRequest(
            accessToken: token,
            apiContext: resource.context,
            apiVersion: resource.version,
            resource: resource.resourceTemplate,
            httpMethod: context.method
        )
        let result: KeyValidationResult
        switch authorized(request, resource: resource, &context) {
        case .authorized(let answer): result = answer
        case .decided(let decision): return decision
        }
        if !Self.admits(result.userType, authType: resource.authType) {
            return fail(.incorrectAccessTokenType, &context)
        }
        if !resource.scopes.isEmpty, !resource.scopes.contains(where: result.scopes.contains) {
            return fail(.invalidScope(resource: resource.resourceTemplate), &context)
        }
        Self.setAPIProperties(resource, caller: CallProperties.Caller(result), &context)
        if configuration.removeOAuthHeaders { context.headers.remove(name: configuration.headerName) }
        attachBackendJWT(credential: token, result, resource: resource, &context)
        metrics?.record(.valid)
        return .proceed
    }

    enum Validation {
        case answer(KeyValidationResult)
        case pending(GatewayHandlerDecision)
    }

    /// What checking a credential came to: the key manager's answer for an authorized one, or the handler's decision
    /// (a suspension until a remote key manager answers, or WSO2's refusal).
    enum Authorization {
        case authorized(KeyValidationResult)
        case decided(GatewayHandlerDecision)
    }

    /// Validates `request` and answers a refusal as WSO2 does, with the key manager's code.
    func authorized(
        _ request: KeyValidationRequest,
        resource: DispatchedResource,
        _ context: inout MessageContext
    ) -> Authorization {
        let result: KeyValidationResult
        switch validate(request, resource: resource) {
        case .answer(let answer): result = answer
        case .pending(let decision): return .decided(decision)
        }
        guard result.authorized else {
            // A refusal without a code means the key manager could not answer: WSO2's 900900.
            guard let code = result.errorCode else { return .decided(fail(.unclassified, &context)) }
            return .decided(fail(.from(code, resource: resource.resourceTemplate), &context))
        }
        return .authorized(result)
    }

    /// Asks the key validation source: an answer now, or a suspension until a remote key manager answers.
    func validate(_ request: KeyValidationRequest, resource: DispatchedResource) -> Validation {
        switch source {
        case .immediate(let validate):
            return .answer(validate(request))
        case .cached(let cache):
            switch cache.lookup(request, apiScope: resource.apiScope) {
            case .hit(let answer): return .answer(answer)
            case .pending(let future): return .pending(.suspend(future))
            }
        }
    }

    /// True when a token of `userType` may call a resource of `authType`: `Application` resources take only
    /// application tokens, `Application User` resources only user tokens (WSO2's 900905 otherwise). A key
    /// manager that does not say (nil) is trusted, as before it reported the type.
    static func admits(_ userType: AccessTokenUserType?, authType: ResourceAuthType) -> Bool {
        switch (authType, userType) {
        case (.application, .applicationUser?), (.applicationUser, .application?): false
        default: true
        }
    }

    /// The token of `Bearer <token>` (scheme case-insensitive), or nil.
    ///
    /// Per request and over a JWT of a kilobyte or more: it scans UTF-8 bytes, since counting or searching
    /// `Character`s walks grapheme clusters (that walk was 18 % of the full chain's CPU with a JWT).
    static func bearerToken(_ header: String) -> String? {
        let space = UInt8(ascii: " ")
        let bytes = header.utf8
        var cursor = bytes.startIndex
        while cursor < bytes.endIndex, bytes[cursor] == space { cursor = bytes.index(after: cursor) }
        // "bearer" in any case, then at least one space.
        for letter in "bearer".utf8 {
            guard cursor < bytes.endIndex, bytes[cursor] | 0x20 == letter else { return nil }
            cursor = bytes.index(after: cursor)
        }
        guard cursor < bytes.endIndex, bytes[cursor] == space else { return nil }
        while cursor < bytes.endIndex, bytes[cursor] == space { cursor = bytes.index(after: cursor) }
        let end = bytes[cursor...].firstIndex(of: space) ?? bytes.endIndex
        return cursor == end ? nil : String(header[cursor..<end])
    }

    /// The API fields every usage event carries (`APIAuthenticationHandler.setAPIParametersToMessageContext`) and
    /// the caller's, recorded as one value the `api.ut.*` properties are derived from (`CallProperties`).
    static func setAPIProperties(
        _ resource: DispatchedResource,
        caller: CallProperties.Caller? = nil,
        _ context: inout MessageContext
    ) {
        let ip = context.clientIP
        context.recordCall(
            CallProperties(
                resource: resource,
                method: context.method,
                hostName: context.headers.first(name: "Host"),
                userAgent: context.headers.first(name: "User-Agent"),
                clientIP: ip.isEmpty ? nil : ip,
                caller: caller
            )
        )
    }

    func fail(_ failure: AuthenticationFailure, _ context: inout MessageContext) -> GatewayHandlerDecision {
        metrics?.record(KeyValidationMetrics.Outcome(failureCode: failure.code))
        return failure.answer(&context, sequence: failureSequence)
    }
}
