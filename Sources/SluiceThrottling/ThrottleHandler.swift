import NIOCore
import NIOHTTP1
public import SluiceMediation
public import SluiceModel

/// WSO2's `ThrottleHandler` (and the legacy `APIThrottleHandler` name): counts each call at the hard-limit, API,
/// resource, subscription and application levels through the ``ThrottleEngine`` and throttles out calls over a
/// limit with WSO2's fault (429, or 503 for the hard limit; codes 900800-900809), `Retry-After` and
/// `nextAccessTime`.
///
/// Properties: `productionMaxCount` / `sandboxMaxCount` (hard limits per second, by the token's key type),
/// `APILevelPolicy` (or `apiThrottlingPolicy`: the API-level tier from res-tiers). `id`, `policyKey`,
/// `policyKeyApplication` and `policyKeyResource` are accepted: tiers come from the engine's catalog, which
/// Sluice loads from tiers.xml, app-tiers.xml and res-tiers.xml and swaps when they change.
///
/// The caller comes from the authentication handler's properties: application id, subscription and
/// application tiers, user. Calls to auth-None resources count per client IP against `Unauthenticated`.
public struct ThrottleHandler: GatewayHandler {
    /// The names this handler is registered under.
    public static let classNames = [
        "org.wso2.carbon.apimgt.gateway.handlers.throttling.ThrottleHandler",
        "org.wso2.carbon.apimgt.gateway.handlers.throttling.APIThrottleHandler",
        "ThrottleHandler",
        "APIThrottleHandler",
    ]

    public let engine: ThrottleEngine
    /// Hard limit for PRODUCTION keys, requests per second.
    public let productionMaxCount: Int64?
    /// Hard limit for SANDBOX keys, requests per second.
    public let sandboxMaxCount: Int64?
    /// The API-level tier, if any.
    public let apiTier: String?
    /// The deployed `_throttle_out_handler_`, bound at deploy time; nil answers WSO2's default fault.
    public private(set) var throttleOutSequence: CompiledSequence?
    /// The deployed API's decision counters, when the engine counts decisions.
    private var decisions: ThrottleDecisionMetrics.APICounters?

    /// The sequence WSO2 runs on every throttled-out call, with the fault properties set, before it answers.
    public static let throttleOutSequenceName = "_throttle_out_handler_"

    /// Creates the handler with explicit settings.
    public init(engine: ThrottleEngine, productionMaxCount: Int64? = nil, sandboxMaxCount: Int64? = nil, apiTier: String? = nil) {
        self.engine = engine
        self.productionMaxCount = productionMaxCount
        self.sandboxMaxCount = sandboxMaxCount
        self.apiTier = apiTier
    }

    /// Creates the handler from its `<handler>` properties.
    /// - Throws: `MediationCompileError.invalidConfiguration` when a max count is not a whole number.
    public init(spec: GatewayHandlerSpec, engine: ThrottleEngine) throws(MediationCompileError) {
        func count(_ name: String) throws(MediationCompileError) -> Int64? {
            guard let text = spec[property: name], !text.isEmpty else { return nil }
            guard let value = Int64(text), value >= 0 else {
                throw MediationCompileError(
                    .invalidConfiguration(className: spec.className, reason: "\(name) must be a whole number"),
                    location: spec.location
                )
            }
            return value
        }
        let policy = spec[property: "APILevelPolicy"] ?? spec[property: "apiThrottlingPolicy"]
        self.init(
            engine: engine,
            productionMaxCount: try count("productionMaxCount"),
            sandboxMaxCount: try count("sandboxMaxCount"),
            apiTier: policy.flatMap { $0.isEmpty ? nil : $0 }
        )
    }

    public func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision {
        handleRequest(&context, resource: context.dispatchedResource)
    }

    /// Picks up the deployed `_throttle_out_handler_`, which then adjusts every throttle-out answer.
    public func bound(to deployment: GatewayHandlerDeployment) -> any GatewayHandler {
        var handler = self
        handler.throttleOutSequence = deployment.sequence(named: Self.throttleOutSequenceName)
        handler.decisions = engine.decisionMetrics?.counters(api: deployment.api.name, version: deployment.api.version ?? "")
        return handler
    }

    /// Throttles one request to `resource`.
    /// - Parameters:
    ///   - context: The request, after authentication; on throttle-out it becomes WSO2's fault response.
    ///   - resource: What the gateway dispatched to; without it the request is not counted.
    /// - Returns: `.proceed`, or `.respond` with the throttle-out fault (`.runSequence` when
    ///   `_throttle_out_handler_` is deployed, to let it adjust that answer).
    public func handleRequest(_ context: inout MessageContext, resource: DispatchedResource?) -> GatewayHandlerDecision {
        guard let resource else { return .proceed }
        // Deny policies: one atomic load per call while none is enabled.
        if engine.blockingConditions.isActive, isBlocked(context, resource: resource) {
            Self.block(&context)
            guard let throttleOutSequence else { return .respond }
            return .runSequence(throttleOutSequence, then: .reply)
        }
        guard let outcome = engine.evaluate(throttleRequest(context, resource: resource)) else {
            decisions?.accepted.increment()
            return .proceed
        }
        decisions?.throttled.increment()
        Self.throttleOut(outcome, &context)
        guard let throttleOutSequence else { return .respond }
        return .runSequence(throttleOutSequence, then: .reply)
    }

    /// Charges the response's bytes to the bandwidth tiers of the call (nothing to do without bandwidth tiers).
    public func handleResponse(_ context: inout MessageContext) -> GatewayHandlerDecision {
        guard engine.catalog.hasBandwidthTiers, let resource = context.dispatchedResource else { return .proceed }
        let bytes: Int64
        switch context.body {
        case .buffered(let buffer): bytes = Int64(buffer.readableBytes)
        case .empty: bytes = 0
        // A streamed body is counted by its Content-Length (a chunked one without it cannot be counted here).
        case .streaming: bytes = context.headers.first(name: "Content-Length").flatMap { Int64($0) } ?? 0
        }
        engine.recordResponse(throttleRequest(context, resource: resource), bytes: bytes)
        return .proceed
    }

    /// What the engine needs to know about the call.
    func throttleRequest(_ context: MessageContext, resource: DispatchedResource) -> ThrottleRequest {
        let isSandbox = context.callText(.keyType) == KeyType.sandbox.rawValue
        let caller: ThrottleRequest.Caller
        if !resource.authType.isAnonymous, let application = context.callText(.applicationID) {
            caller = .application(
                id: application,
                subscriptionTier: context.callText(.subscriptionTier) ?? "Unlimited",
                applicationTier: context.callText(.applicationTier) ?? "Unlimited",
                user: context.callText(.userID) ?? ""
            )
        } else {
            caller = .anonymous(clientIP: context.clientIP)
        }
        return ThrottleRequest(
            apiScope: resource.apiScope,
            apiTier: apiTier,
            resourceScope: resource.resourceScope(method: context.method),
            resourceTier: resource.throttlingTier,
            hardLimitPerSecond: isSandbox ? sandboxMaxCount : productionMaxCount,
            caller: caller
        )
    }

    /// Makes the context WSO2's throttle-out answer: `amt:fault` in the request's format, `Retry-After`, and
    /// the `THROTTLED_OUT_REASON` properties the usage handler reports.
    static func throttleOut(_ outcome: ThrottleOutcome, _ context: inout MessageContext) {
        let next = NextAccessTime.format(millis: outcome.nextAccessMillis)
        let fault = MediationFault(
            code: outcome.code, message: outcome.message, detail: outcome.description, httpStatus: outcome.httpStatus
        )
        context.recordFault(fault)
        context[property: APIManagerProperty.throttledOut] = .boolean(true)
        context[property: APIManagerProperty.throttledOutReason] = .string(outcome.reason)
        context[property: APIManagerProperty.throttledNextAccessTime] = .integer(Int(outcome.nextAccessMillis))
        if outcome.level != .hardLimit {
            context[property: APIManagerProperty.throttledNextAccessUTCTime] = .string(next)
        }
        let format = FaultPayload.Format(requestHeaders: context.requestHeaders)
        let fields = FaultPayload.Fields(
            code: outcome.code,
            message: outcome.message,
            description: outcome.description,
            nextAccessTime: outcome.level == .hardLimit ? nil : next
        )
        let text = FaultPayload.body(fields, family: .throttling, format: format, isClientError: outcome.httpStatus < 500)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: format.contentType)
        headers.add(name: "Retry-After", value: String(outcome.retryAfterSeconds))
        context.receiveResponse(status: outcome.httpStatus, headers: headers, body: .buffered(ByteBuffer(string: text)))
    }
}
