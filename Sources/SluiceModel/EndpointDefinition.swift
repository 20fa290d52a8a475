/// An `<endpoint>`: named (a top-level artifact), inline, or a reference to a named one.
public struct EndpointDefinition: Sendable, Hashable {
    public var name: String?
    public var kind: Kind
    @DiagnosticOnly public var location: SourceLocation?
    /// `<property name= value=|expression= [scope=]/>` children, set on the message when the endpoint is used.
    /// WSO2's publisher writes `ENDPOINT_ADDRESS` here (read by analytics as the destination).
    public var properties: [EndpointProperty]

    public init(
        name: String? = nil,
        kind: Kind,
        location: SourceLocation? = nil,
        properties: [EndpointProperty] = []
    ) {
        self.name = name
        self.kind = kind
        self.location = location
        self.properties = properties
    }

    public indirect enum Kind: Sendable, Hashable {
        /// `<address uri= [format=]>`: the request path below the resource (`REST_URL_POSTFIX`) is appended.
        case address(AddressEndpoint)
        /// `<http uri-template= [method=]>`: `{uri.var.x}` and `{query.param.y}` are expanded.
        case http(HTTPEndpoint)
        /// `<loadbalance [algorithm=|policy=] [failover=]>` over member endpoints.
        case loadbalance(LoadbalanceEndpoint)
        /// `<failover [dynamic=]>`: the first member is primary; fall through on error, back on recovery.
        case failover(FailoverEndpoint)
        /// `<endpoint key="name"/>`: a named endpoint deployed separately.
        case reference(key: String)
        /// `<endpoint template= [uri=]><parameter name= value=/>*</endpoint>`: an endpoint template instantiated.
        case template(TemplateEndpoint)
        /// `<wsdl (uri=|inline WSDL) service= port=>`: the address of a WSDL service's port.
        case wsdl(WSDLEndpoint)
        /// `<default [format=]>`: the address is the message's WS-Addressing `To`.
        case defaultAddress(DefaultEndpoint)
        /// `<recipientlist>`: a copy of the message to every recipient.
        case recipientList(RecipientListEndpoint)
    }
}

/// `<endpoint [name=] template= [uri=]>` with `<parameter name= value=/>` children. The endpoint's `name` and `uri`
/// are template parameters too (`$name`, `$uri`).
public struct TemplateEndpoint: Sendable, Hashable {
    public var template: String
    public var uri: String?
    public var parameters: [Parameter]

    public init(template: String, uri: String? = nil, parameters: [Parameter] = []) {
        self.template = template
        self.uri = uri
        self.parameters = parameters
    }

    /// `<parameter name= value=/>`.
    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }
}

/// An endpoint's `<property name= (value=|expression=) [scope=]/>`: set on the message when the endpoint is used.
public struct EndpointProperty: Sendable, Hashable {
    public var name: String
    public var value: ValueSource
    /// `default`, `transport`, `axis2` or `axis2-client`.
    public var scope: PropertyScope

    public init(name: String, value: ValueSource, scope: PropertyScope = .default) {
        self.name = name
        self.value = value
        self.scope = scope
    }
}

/// `<address uri="..." [format=]>` plus its quality-of-service settings.
public struct AddressEndpoint: Sendable, Hashable {
    public var uri: String
    public var format: MessageFormat?
    public var qos: EndpointQoS

    public init(uri: String, format: MessageFormat? = nil, qos: EndpointQoS = EndpointQoS()) {
        self.uri = uri
        self.format = format
        self.qos = qos
    }
}

/// `<http uri-template="..." [method=]>` plus its quality-of-service settings.
public struct HTTPEndpoint: Sendable, Hashable {
    public var uriTemplate: String
    /// Upper-case method to use instead of the request's.
    public var method: String?
    public var format: MessageFormat?
    public var qos: EndpointQoS
    /// `<authentication><basicAuth>`: the credentials sent with every request.
    public var authentication: EndpointAuthentication?
    /// `<authentication><oauth>`: the token grant whose bearer token goes with every request.
    public var oauth: EndpointOAuth?

    public init(
        uriTemplate: String,
        method: String? = nil,
        format: MessageFormat? = nil,
        qos: EndpointQoS = EndpointQoS(),
        authentication: EndpointAuthentication? = nil,
        oauth: EndpointOAuth? = nil
    ) {
        self.uriTemplate = uriTemplate
        self.method = method
        self.format = format
        self.qos = qos
        self.authentication = authentication
        self.oauth = oauth
    }
}

/// `format=` of address and http endpoints: how the outgoing message is encoded.
public enum MessageFormat: String, Sendable, Hashable, CaseIterable {
    case soap11
    case soap12
    case pox
    case get
    case rest
}

/// `<wsdl uri= service= port= [format=]>` or `<wsdl service= port=>` holding the WSDL inline, plus QoS settings.
public struct WSDLEndpoint: Sendable, Hashable {
    /// Where the WSDL is: a `file:` URI or a file path (read at deploy time); nil when it is inline.
    public var uri: String?
    /// The WSDL document written inside the element (XML text), or nil.
    public var inlineDefinition: String?
    public var service: String
    public var port: String
    public var format: MessageFormat?
    public var qos: EndpointQoS

    public init(
        uri: String? = nil,
        inlineDefinition: String? = nil,
        service: String,
        port: String,
        format: MessageFormat? = nil,
        qos: EndpointQoS = EndpointQoS()
    ) {
        self.uri = uri
        self.inlineDefinition = inlineDefinition
        self.service = service
        self.port = port
        self.format = format
        self.qos = qos
    }
}

/// `<default [format=]>` plus QoS settings: sends to the address the message names (its WS-Addressing `To`).
public struct DefaultEndpoint: Sendable, Hashable {
    public var format: MessageFormat?
    public var qos: EndpointQoS

    public init(format: MessageFormat? = nil, qos: EndpointQoS = EndpointQoS()) {
        self.format = format
        self.qos = qos
    }
}

/// `<enableAddressing [version="final|submission"] [separateListener=]/>`: WS-Addressing headers on SOAP messages
/// sent to the endpoint.
public struct EndpointAddressing: Sendable, Hashable {
    /// `final` (the W3C recommendation, the default) or `submission` (the 2004 member submission).
    public var version: Version?
    /// `separateListener="true"` asks for replies on another connection; Sluice reads replies on the same one.
    public var separateListener: Bool?

    public enum Version: String, Sendable, Hashable, CaseIterable {
        case final
        case submission
    }

    public init(version: Version? = nil, separateListener: Bool? = nil) {
        self.version = version
        self.separateListener = separateListener
    }

    /// The WS-Addressing namespace of the version.
    public var namespace: String {
        version == .submission ? "http://schemas.xmlsoap.org/ws/2004/08/addressing" : "http://www.w3.org/2005/08/addressing"
    }

    /// The anonymous address (reply on the same connection) of the version.
    public var anonymousAddress: String {
        version == .submission
            ? "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous" : namespace + "/anonymous"
    }
}

/// `<loadbalance>` over member endpoints, or over static cluster members (`<member hostName= httpPort=>`).
public struct LoadbalanceEndpoint: Sendable, Hashable {
    /// `algorithm=` class name or `policy="roundRobin"`; nil means round robin. Synapse ships `RoundRobin` and
    /// `WeightedRoundRobin` (weights from each member endpoint's `loadbalance.weight` property).
    public var algorithm: String?
    /// `failover="false"` turns off trying the next member when one fails (default true).
    public var failover: Bool
    /// `<session type="http|simpleClientSession"/>`: session affinity (which disables failover).
    public var sessionType: String?
    public var members: [EndpointDefinition]
    /// `<member hostName= httpPort= httpsPort=/>` children (Synapse's application members): the message goes to
    /// the member's host and port with the path it was addressed to. Either these or `members`, never both.
    public var clusterMembers: [ClusterMember]

    public init(
        algorithm: String? = nil,
        failover: Bool = true,
        sessionType: String? = nil,
        members: [EndpointDefinition],
        clusterMembers: [ClusterMember] = []
    ) {
        self.algorithm = algorithm
        self.failover = failover
        self.sessionType = sessionType
        self.members = members
        self.clusterMembers = clusterMembers
    }

    /// The `WeightedRoundRobin` algorithm's class name, as written in `algorithm=`.
    public static let weightedRoundRobin = "org.apache.synapse.endpoints.algorithms.WeightedRoundRobin"
    /// The member endpoint property holding a member's weight under `WeightedRoundRobin` (default 1).
    public static let weightProperty = "loadbalance.weight"
}

/// `<member hostName= httpPort= httpsPort=/>` of a `<loadbalance>`: a server by host and ports.
public struct ClusterMember: Sendable, Hashable {
    public var hostName: String
    public var httpPort: Int?
    public var httpsPort: Int?

    public init(hostName: String, httpPort: Int? = nil, httpsPort: Int? = nil) {
        self.hostName = hostName
        self.httpPort = httpPort
        self.httpsPort = httpsPort
    }
}

/// `<failover [dynamic=]>` over members in priority order.
public struct FailoverEndpoint: Sendable, Hashable {
    public var dynamic: Bool
    public var members: [EndpointDefinition]

    public init(dynamic: Bool = true, members: [EndpointDefinition]) {
        self.dynamic = dynamic
        self.members = members
    }
}

/// Timeout and suspension settings shared by leaf endpoints. Absent settings stay nil; runtime defaults apply.
public struct EndpointQoS: Sendable, Hashable {
    public var timeout: EndpointTimeout?
    public var suspendOnFailure: SuspendOnFailure?
    public var markForSuspension: MarkForSuspension?
    /// `<enableAddressing/>`.
    public var addressing: EndpointAddressing?
    /// WSO2's `<retryConfig>`: which errors of this endpoint let a failover or load-balance group try another member.
    public var retry: EndpointRetryConfig?

    public init(
        timeout: EndpointTimeout? = nil,
        suspendOnFailure: SuspendOnFailure? = nil,
        markForSuspension: MarkForSuspension? = nil,
        addressing: EndpointAddressing? = nil,
        retry: EndpointRetryConfig? = nil
    ) {
        self.timeout = timeout
        self.suspendOnFailure = suspendOnFailure
        self.markForSuspension = markForSuspension
        self.addressing = addressing
        self.retry = retry
    }

    public var isEmpty: Bool {
        timeout == nil && suspendOnFailure == nil && markForSuspension == nil && addressing == nil && retry == nil
    }
}

/// `<retryConfig><disabledErrorCodes>a, b</disabledErrorCodes><enabledErrorCodes>c</enabledErrorCodes></retryConfig>`
/// of a leaf endpoint (WSO2's `AbstractEndpoint.isRetry`): after an error with a disabled code the group around the
/// endpoint sends the message nowhere else; when enabled codes are listed, only those errors are retried.
public struct EndpointRetryConfig: Sendable, Hashable {
    public var disabledErrorCodes: [Int]
    public var enabledErrorCodes: [Int]

    public init(disabledErrorCodes: [Int] = [], enabledErrorCodes: [Int] = []) {
        self.disabledErrorCodes = disabledErrorCodes
        self.enabledErrorCodes = enabledErrorCodes
    }

    /// Whether a group may try another member after this endpoint failed with `errorCode`.
    public func allowsRetry(after errorCode: Int) -> Bool {
        if disabledErrorCodes.contains(errorCode) { return false }
        return enabledErrorCodes.isEmpty || enabledErrorCodes.contains(errorCode)
    }
}

/// `<timeout><duration>ms</duration><responseAction>fault|discard</responseAction></timeout>`.
public struct EndpointTimeout: Sendable, Hashable {
    /// Milliseconds.
    public var duration: Int64?
    /// `<duration>{expression}</duration>` (WSO2's dynamic timeout): milliseconds evaluated per message.
    public var durationExpression: SynapseExpression?
    public var responseAction: ResponseAction?

    public init(duration: Int64? = nil, durationExpression: SynapseExpression? = nil, responseAction: ResponseAction? = nil) {
        self.duration = duration
        self.durationExpression = durationExpression
        self.responseAction = responseAction
    }

    /// What Synapse does with a response arriving after the timeout; `never` (Synapse's default, no action) has
    /// no element value: WSO2's factory refuses `<responseAction>never</responseAction>`.
    public enum ResponseAction: String, Sendable, Hashable, CaseIterable {
        case fault
        case discard
    }
}

/// `<suspendOnFailure>`: which error codes suspend the endpoint at once, and for how long.
public struct SuspendOnFailure: Sendable, Hashable {
    /// `<errorCodes>101504,101505</errorCodes>`; empty means "any error"; `[-1]` means never.
    public var errorCodes: [Int]
    /// Milliseconds; nil or -1 means Synapse's default of 30 000.
    public var initialDuration: Int64?
    public var progressionFactor: Double?
    /// Milliseconds; nil means no cap.
    public var maximumDuration: Int64?

    public init(
        errorCodes: [Int] = [],
        initialDuration: Int64? = nil,
        progressionFactor: Double? = nil,
        maximumDuration: Int64? = nil
    ) {
        self.errorCodes = errorCodes
        self.initialDuration = initialDuration
        self.progressionFactor = progressionFactor
        self.maximumDuration = maximumDuration
    }
}

/// `<markForSuspension>`: which error codes put the endpoint in the Timeout state, retried before suspension.
public struct MarkForSuspension: Sendable, Hashable {
    public var errorCodes: [Int]
    public var retriesBeforeSuspension: Int?
    /// Milliseconds between retries while in the Timeout state.
    public var retryDelay: Int64?

    public init(errorCodes: [Int] = [], retriesBeforeSuspension: Int? = nil, retryDelay: Int64? = nil) {
        self.errorCodes = errorCodes
        self.retriesBeforeSuspension = retriesBeforeSuspension
        self.retryDelay = retryDelay
    }
}
