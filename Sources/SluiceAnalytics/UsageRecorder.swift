public import SluiceMediation
public import SluiceModel

/// Turns a finished call's message context into a ``UsageEvent`` and counts it, once per call, without waiting:
/// into the per-minute rollups, into a sampled share of raw events, and into the metrics. The usage and latency
/// handlers share one recorder.
public struct UsageRecorder: Sendable {
    /// The per-minute rollups the statistics read; nil on a node that stores none.
    public let rollups: UsageRollupAggregator?
    /// Where raw events wait for the batch writer; nil when raw events are off.
    public let queue: UsageEventQueue?
    /// Which calls get a raw event.
    public let rawEvents: UsageSampler
    public let metrics: UsageMetrics?
    public let clock: EpochClock

    /// Creates a recorder.
    /// - Parameters:
    ///   - rollups: The rollups the calls count in, if they are stored.
    ///   - queue: Where raw events wait for the batch writer, if they are stored.
    ///   - rawEventRate: The share of calls that get a raw event (all by default, when there is a queue).
    ///   - metrics: Prometheus metrics to update, if any.
    ///   - clock: Wall clock in milliseconds.
    public init(
        rollups: UsageRollupAggregator? = nil,
        queue: UsageEventQueue?,
        rawEventRate: Double = 1,
        metrics: UsageMetrics? = nil,
        clock: EpochClock = .system
    ) {
        self.rollups = rollups
        self.queue = queue
        self.rawEvents = UsageSampler(rate: queue == nil ? 0 : rawEventRate)
        self.metrics = metrics
        self.clock = clock
    }

    /// Stamps the request's arrival (`api.ut.requestTime`) unless an earlier handler did.
    /// - Parameter context: The request.
    public func markRequest(_ context: inout MessageContext) {
        if context[property: APIManagerProperty.requestTime] == nil {
            context[property: APIManagerProperty.requestTime] = .integer(Int(clock.millisecondsSinceEpoch()))
        }
    }

    /// Records the call whose response `context` now holds, unless it was recorded already.
    /// - Parameters:
    ///   - context: The response (or fault answer) going back to the client.
    ///   - resource: What the gateway dispatched to; calls without it are not recorded.
    ///   - api: The API's metric handles, resolved when the handler was deployed.
    public func recordResponse(
        _ context: inout MessageContext,
        resource: DispatchedResource?,
        api: UsageMetrics.APIMetrics? = nil
    ) {
        // Marked on the context, so the second handler of a chain does not count the call again.
        guard let resource, !context.usageRecorded else { return }
        context.usageRecorded = true
        let now = clock.millisecondsSinceEpoch()
        context[property: APIManagerProperty.requestEndTime] = .integer(Int(now))
        let event = makeEvent(context, resource: resource, now: now)
        if let rollups, !rollups.record(event) { metrics?.recordDropped() }
        if let queue, rawEvents.sample(), !queue.offer(event) { metrics?.recordDropped() }
        metrics?.record(event, api: api)
    }

    /// The usage event of a finished call.
    func makeEvent(_ context: MessageContext, resource: DispatchedResource, now: Int64) -> UsageEvent {
        func text(_ name: String) -> String? { context[property: name]?.stringValue }
        func number(_ name: String) -> Int64? { text(name).flatMap { Int64($0) } }
        let requestTime = number(APIManagerProperty.requestTime) ?? now
        var backendTime = number(SynapseProperty.backendTime).map(Double.init)
        if backendTime == nil, let sent = number(SynapseProperty.backendRequestTime) {
            let received = number(APIManagerProperty.backendRequestEndTime) ?? number(SynapseProperty.responseTime) ?? now
            backendTime = Double(max(0, received - sent))
        }
        let request = context.requestHeaders
        let responseSize: Int? =
            switch context.body {
            case .buffered(let buffer): buffer.readableBytes
            case .empty: 0
            case .streaming: context.headers.first(name: "Content-Length").flatMap { Int($0) }
            }
        let subPath = text(SynapseProperty.restSubRequestPath) ?? context.requestPath
        return UsageEvent(
            requestTime: requestTime,
            apiName: resource.apiName,
            apiContext: resource.context,
            apiVersion: resource.version,
            apiProvider: resource.apiProvider,
            resourceTemplate: resource.resourceTemplate,
            resourcePath: subPath,
            method: context.method,
            applicationID: context.callText(.applicationID),
            applicationName: context.callText(.applicationName),
            applicationOwner: context.callText(.applicationOwner),
            consumerKey: context.callText(.consumerKey),
            username: context.callText(.userID),
            keyType: context.callText(.keyType),
            clientIP: nonEmpty(context.clientIP),
            userAgent: request.first(name: "User-Agent"),
            hostName: request.first(name: "Host"),
            responseCode: context.statusCode ?? 200,
            responseTimeMillis: Double(max(0, now - requestTime)),
            backendTimeMillis: backendTime,
            requestSize: request.first(name: "Content-Length").flatMap { Int($0) },
            responseSize: responseSize,
            throttledOutReason: text(APIManagerProperty.throttledOutReason),
            errorCode: number(SynapseProperty.errorCode).map { Int($0) },
            tier: context.callText(.subscriptionTier),
            backend: context.backendEndpoint
        )
    }

    private func nonEmpty(_ text: String) -> String? {
        text.isEmpty ? nil : text
    }
}
