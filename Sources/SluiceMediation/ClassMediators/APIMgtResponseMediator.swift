/// WSO2's `APIMgtResponseHandler` class mediator (in generated out sequences): records what the usage
/// statistics need about the response in default-scope properties.
///
/// Sets `api.ut.responseTime` (epoch ms), `api.ut.backendTime` (ms since `api.ut.backendRequestTime`, when
/// that is set) and `api.ut.responseCode` (the response status). Never stops mediation.
public struct APIMgtResponseMediator: Mediator {
    /// The names WSO2 1.x and 2.x publishers write.
    public static let classNames = [
        "org.wso2.carbon.apimgt.usage.publisher.APIMgtResponseHandler",
        "org.wso2.carbon.apimgt.gateway.handlers.analytics.APIMgtResponseHandler",
    ]
    /// The property holding the response status.
    public static let responseCodeProperty = "api.ut.responseCode"

    let clock: EpochClock

    /// Creates the mediator.
    public init(clock: EpochClock) {
        self.clock = clock
    }

    public var readsBody: Bool { false }

    public func mediate(_ context: inout MessageContext) throws(MediationFault) -> Bool {
        let now = clock.millisecondsSinceEpoch()
        context[property: SynapseProperty.responseTime] = .integer(Int(now))
        if let sent = context[property: SynapseProperty.backendRequestTime].flatMap({ Int64($0.stringValue) }) {
            context[property: SynapseProperty.backendTime] = .integer(Int(max(0, now - sent)))
        }
        if let status = context.statusCode {
            context[property: Self.responseCodeProperty] = .integer(status)
        }
        return true
    }
}

/// WSO2's `APIMgtFaultHandler` class mediator (in the `fault` sequence): records the fault for the usage
/// statistics in default-scope properties: `api.ut.faultTime` (epoch ms) and `api.ut.errorCode` (from
/// `ERROR_CODE`). Never stops mediation.
public struct APIMgtFaultMediator: Mediator {
    /// The names WSO2 1.x and 2.x publishers write.
    public static let classNames = [
        "org.wso2.carbon.apimgt.usage.publisher.APIMgtFaultHandler",
        "org.wso2.carbon.apimgt.gateway.handlers.analytics.APIMgtFaultHandler",
    ]
    /// The property holding the fault's error code.
    public static let errorCodeProperty = "api.ut.errorCode"

    let clock: EpochClock

    /// Creates the mediator.
    public init(clock: EpochClock) {
        self.clock = clock
    }

    public var readsBody: Bool { false }

    public func mediate(_ context: inout MessageContext) throws(MediationFault) -> Bool {
        context[property: SynapseProperty.faultTime] = .integer(Int(clock.millisecondsSinceEpoch()))
        if let code = context[property: SynapseProperty.errorCode] {
            context[property: Self.errorCodeProperty] = code
        }
        return true
    }
}
