public import SluiceMediation
public import SluiceModel

/// WSO2's `CORSRequestHandler`: answers CORS preflight requests at the gateway and adds the CORS headers to
/// every response.
///
/// Properties (comma-separated lists, as WSO2's template writes them): `allowedOrigins` (`*` allows any),
/// `allowHeaders`, `allowedMethods`, `AllowCredentials` (`true`/`false`). Missing properties take WSO2's
/// defaults from api-manager.xml's `CORSConfiguration`. `apiImplementationType` and `inline` are accepted.
///
/// A preflight is an `OPTIONS` request with `Access-Control-Request-Method`; it gets 200 with the CORS headers
/// and goes no further (not to authentication, not to the backend). So does any `OPTIONS` request to a resource
/// that does not list `OPTIONS` (the gateway routes those to the most specific resource of the path); other
/// `OPTIONS` requests pass on.
///
/// When the deployment has WSO2's `_cors_request_handler_` sequence, the handler works as WSO2's does: it records
/// the CORS settings as properties (`CORSConfiguration.Enabled`, `Access-Control-Allow-Origin`,
/// `Access-Control-Allow-Methods`, `Access-Control-Allow-Headers`, `Access-Control-Allow-Credentials`) and the
/// sequence writes the headers, on the preflight answer and on every response; an edited sequence changes them.
public struct CORSRequestHandler: GatewayHandler {
    /// The names this handler is registered under.
    public static let classNames = [
        "org.wso2.carbon.apimgt.gateway.handlers.security.CORSRequestHandler",
        "CORSRequestHandler",
    ]

    /// Allowed origins; `*` means any.
    public let allowedOrigins: [String]
    public let allowHeaders: String
    public let allowedMethods: String
    public let allowCredentials: Bool
    /// The deployed `_cors_request_handler_`, which then writes the headers instead of the handler.
    public private(set) var corsSequence: CompiledSequence?

    /// The sequence WSO2's handler runs to write the CORS headers from its properties.
    public static let corsSequenceName = "_cors_request_handler_"
    /// `true` while the handler's CORS settings are recorded (WSO2's `APIConstants.CORS_CONFIGURATION_ENABLED`).
    public static let enabledProperty = "CORSConfiguration.Enabled"

    /// Creates the handler with explicit settings.
    public init(
        allowedOrigins: [String] = ["*"],
        allowHeaders: String = "authorization,Access-Control-Allow-Origin,Content-Type,SOAPAction",
        allowedMethods: String = "GET,PUT,POST,DELETE,PATCH,OPTIONS",
        allowCredentials: Bool = false
    ) {
        self.allowedOrigins = allowedOrigins
        self.allowHeaders = allowHeaders
        self.allowedMethods = allowedMethods
        self.allowCredentials = allowCredentials
    }

    /// Creates the handler from its `<handler>` properties.
    /// - Throws: `MediationCompileError.invalidConfiguration` when `AllowCredentials` is not a boolean.
    public init(spec: GatewayHandlerSpec) throws(MediationCompileError) {
        var credentials = false
        if let text = spec[property: "AllowCredentials"] ?? spec[property: "allowCredentials"] {
            switch text.lowercased() {
            case "true": credentials = true
            case "false": credentials = false
            default:
                throw MediationCompileError(
                    .invalidConfiguration(className: spec.className, reason: "AllowCredentials must be true or false"),
                    location: spec.location
                )
            }
        }
        let defaults = CORSRequestHandler()
        let origins = spec[property: "allowedOrigins"].map {
            $0.split(separator: ",").map { String($0.drop { $0 == " " }) }.filter { !$0.isEmpty }
        }
        self.init(
            allowedOrigins: origins ?? defaults.allowedOrigins,
            allowHeaders: spec[property: "allowHeaders"] ?? defaults.allowHeaders,
            allowedMethods: spec[property: "allowedMethods"] ?? defaults.allowedMethods,
            allowCredentials: credentials
        )
    }

    /// Picks up the deployed `_cors_request_handler_`.
    public func bound(to deployment: GatewayHandlerDeployment) -> any GatewayHandler {
        var handler = self
        handler.corsSequence = deployment.sequence(named: Self.corsSequenceName)
        return handler
    }

    /// The sequence runs on every response: the gateway buffers responses when it reads the body (WSO2's own
    /// `_cors_request_handler_` does, through its `= false` tests, which XPath reads as a child element).
    public var readsResponseBody: Bool { corsSequence?.readsBody ?? false }

    public func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision {
        // With the sequence deployed, every request carries the settings: the response hook and WSO2's failure
        // sequences (which end with `<sequence key="_cors_request_handler_"/>`) read them.
        if corsSequence != nil { recordSettings(origin: context.headers.first(name: "Origin"), in: &context) }
        guard context.method == "OPTIONS" else { return .proceed }
        // A preflight, or any OPTIONS call to a resource that does not take OPTIONS itself (as WSO2 answers it).
        let resourceTakesOptions = context.dispatchedResource.map { $0.methods.isEmpty || $0.methods.contains("OPTIONS") } ?? true
        guard context.headers.first(name: "Access-Control-Request-Method") != nil || !resourceTakesOptions else {
            return .proceed
        }
        let origin = context.headers.first(name: "Origin")
        context.receiveResponse(status: 200, headers: [:], body: .empty)
        if let corsSequence { return .runSequence(corsSequence, then: .reply) }
        addHeaders(origin: origin, to: &context)
        return .respond
    }

    public func handleResponse(_ context: inout MessageContext) -> GatewayHandlerDecision {
        if let corsSequence { return .runSequence(corsSequence, then: .proceed) }
        addHeaders(origin: context.requestHeaders.first(name: "Origin"), to: &context)
        return .proceed
    }

    /// The `Access-Control-Allow-Origin` value for a request from `origin`: `*` when any origin is allowed,
    /// the origin itself when listed, nil otherwise.
    public func allowedOrigin(for origin: String?) -> String? {
        if allowedOrigins.contains("*") { return "*" }
        guard let origin, allowedOrigins.contains(origin) else { return nil }
        return origin
    }

    /// WSO2's `setCORSHeaders`: the values as properties for `_cors_request_handler_`; credentials only for a
    /// named origin, as a browser refuses them with `*`.
    private func recordSettings(origin: String?, in context: inout MessageContext) {
        context[property: Self.enabledProperty] = .boolean(true)
        let allowed = allowedOrigin(for: origin)
        context[property: "Access-Control-Allow-Origin"] = allowed.map(PropertyValue.string)
        context[property: "Access-Control-Allow-Methods"] = .string(allowedMethods)
        context[property: "Access-Control-Allow-Headers"] = .string(allowHeaders)
        if allowCredentials, let allowed, allowed != "*" {
            context[property: "Access-Control-Allow-Credentials"] = .string("true")
        }
    }

    private func addHeaders(origin: String?, to context: inout MessageContext) {
        if let allowed = allowedOrigin(for: origin) {
            context.headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: allowed)
            if allowed != "*" { context.headers.replaceOrAdd(name: "Vary", value: "Origin") }
        }
        context.headers.replaceOrAdd(name: "Access-Control-Allow-Methods", value: allowedMethods)
        context.headers.replaceOrAdd(name: "Access-Control-Allow-Headers", value: allowHeaders)
        if allowCredentials { context.headers.replaceOrAdd(name: "Access-Control-Allow-Credentials", value: "true") }
    }
}
