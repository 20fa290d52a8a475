import NIOCore
import SluiceModel
import Synchronization

/// An endpoint ready to use at run time: named references resolved, each leaf with its shared suspension
/// state, each load-balance group with its shared round-robin cursor.
///
/// Built once per deployment by `MediationCompiler`; a named endpoint referenced from many places resolves to
/// the same instance, so they share suspension state.
public struct ResolvedEndpoint: Sendable {
    /// The endpoint's `name`, if it has one.
    public let name: String?
    /// A leaf or a group.
    public let kind: Kind

    /// The shape of a resolved endpoint.
    public enum Kind: Sendable {
        /// An address or http endpoint.
        case leaf(EndpointLeaf)
        /// Round robin over members; with `failover` the next member is tried when one fails.
        case loadbalance(members: [ResolvedEndpoint], failover: Bool, cursor: RoundRobinCursor)
        /// Members in priority order: the first ready one is used, the next on failure.
        case failover(members: [ResolvedEndpoint])
        /// A copy of the message to every recipient (`send`/`call` split the message; never attempted as one).
        case recipientList(RecipientList)
        /// A key or template nothing deployed defines: sending here faults with this (305100), as Synapse's
        /// indirect endpoint does; a group skips it as a member that is not ready.
        case unresolved(MediationFault)
    }

    /// Creates a resolved endpoint.
    public init(name: String?, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// Starts selecting members for one message.
    public func makeAttempt() -> EndpointAttempt {
        EndpointAttempt(endpoint: self)
    }

    /// Every leaf below this endpoint, depth first.
    public var leaves: [EndpointLeaf] {
        switch kind {
        case .leaf(let leaf): [leaf]
        case .loadbalance(let members, _, _), .failover(let members): members.flatMap(\.leaves)
        case .recipientList(let list): list.members.flatMap(\.leaves)
        case .unresolved: []
        }
    }

    /// The name Synapse prints for the endpoint in messages.
    public var displayName: String { name ?? "AnonymousEndpoint" }
}

/// A shared counter that hands out round-robin positions without a lock.
public final class RoundRobinCursor: Sendable {
    private let counter = Atomic<Int>(0)
    /// For `WeightedRoundRobin`: the member of each position of one round, member `i` `weight[i]` times in a row
    /// (Synapse's algorithm hands out member 0 until its weight is used up, then member 1, and so on); empty for
    /// plain round robin.
    private let schedule: [Int]

    /// Creates a cursor at position 0.
    public init() {
        schedule = []
    }

    /// A weighted cursor: `weights[i]` (above zero) turns in a row for member `i` in each round.
    public init(weights: [Int]) {
        precondition(weights.allSatisfy { $0 > 0 }, "load-balance weights must be above zero")
        schedule = weights.indices.flatMap { member in repeatElement(member, count: weights[member]) }
    }

    /// The next position in `0..<count`.
    public func next(count: Int) -> Int {
        precondition(count > 0, "round robin over no members")
        let ticket = UInt(bitPattern: counter.wrappingAdd(1, ordering: .relaxed).oldValue)
        guard !schedule.isEmpty else { return Int(ticket % UInt(count)) }
        return schedule[Int(ticket % UInt(schedule.count))]
    }
}

/// A leaf endpoint (`address` or `http`): where to send, how long to wait, and its suspension state.
public struct EndpointLeaf: Sendable {
    /// The endpoint's name, or nil for an anonymous inline endpoint.
    public let name: String?
    /// Where to send.
    public let target: Target
    /// `format=`, which tells how the message is written (nil: as it came).
    public let format: MessageFormat?
    /// `<timeout><duration>`; nil uses the gateway's default.
    public let timeout: TimeAmount?
    /// `<timeout><duration>{expression}</duration>`: milliseconds evaluated per message (WSO2's dynamic timeout).
    let dynamicTimeout: CompiledExpression?
    /// `<timeout><responseAction>`.
    public let timeoutAction: EndpointTimeout.ResponseAction?
    /// `<enableAddressing/>`: WS-Addressing header blocks on SOAP messages sent here.
    public let addressing: EndpointAddressing?
    /// `<retryConfig>`: which of this leaf's errors let the group around it try another member.
    public let retry: EndpointRetryConfig?
    /// `<authentication><basicAuth>` of an `<http>` endpoint: the `Authorization` header sent with each request.
    package let credentials: EndpointCredentials?
    /// `<authentication><oauth>` of an `<http>` endpoint: the token request and the tokens it got.
    package let oauth: OAuthTokenSource?
    /// The shared suspension state.
    public let state: EndpointState
    /// The URL parsed when the endpoint deployed, for a target that does not depend on the message (an address,
    /// or an http template without variables); nil otherwise, or when it does not parse (then the request fails
    /// with the text's own error).
    package let staticURL: UpstreamURL?
    /// Whether an http `uri-template` has `{...}` variables (checked once, not per request).
    let templateHasVariables: Bool

    /// The destination of a leaf.
    public enum Target: Sendable, Hashable {
        /// `<address uri=>`: `REST_URL_POSTFIX` is appended.
        case address(uri: String)
        /// `<http uri-template= method=>`.
        case http(uriTemplate: String, method: String?)
        /// `<default>`: the message's WS-Addressing `To`.
        case messageTo
        /// A `<loadbalance>` `<member>`: the member's host and port with the path the message is addressed to.
        case clusterMember(ClusterMember)
    }

    /// Creates a leaf with fresh Active state (a `{expression}` duration is not used: the compiler builds those).
    public init(
        name: String?,
        target: Target,
        format: MessageFormat? = nil,
        qos: EndpointQoS = EndpointQoS()
    ) {
        self.init(name: name, target: target, format: format, qos: qos, dynamicTimeout: nil)
    }

    init(
        name: String?,
        target: Target,
        format: MessageFormat?,
        qos: EndpointQoS,
        dynamicTimeout: CompiledExpression?,
        credentials: EndpointCredentials? = nil,
        oauth: OAuthTokenSource? = nil
    ) {
        self.credentials = credentials
        self.oauth = oauth
        self.name = name
        self.target = target
        self.format = format
        self.dynamicTimeout = dynamicTimeout
        self.timeout = qos.timeout?.duration.map { .milliseconds($0) }
        self.timeoutAction = qos.timeout?.responseAction
        self.addressing = qos.addressing
        self.retry = qos.retry
        self.state = EndpointState(machine: EndpointStateMachine(qos: qos))
        switch target {
        case .address(let uri):
            templateHasVariables = false
            staticURL = UpstreamURL(uri)
        case .http(let template, _):
            templateHasVariables = template.utf8.contains(UInt8(ascii: "{"))
            staticURL = templateHasVariables ? nil : UpstreamURL(template)
        case .messageTo, .clusterMember:
            templateHasVariables = false
            staticURL = nil
        }
    }

    /// The name Synapse prints for the endpoint in messages.
    public var displayName: String { name ?? "AnonymousEndpoint" }

    /// How long to wait for this message's response: the `<duration>`, or `defaultTimeout`. A dynamic duration is
    /// evaluated on the message, as WSO2's `EndpointDefinition.evaluateDynamicEndpointTimeout`: a value that is
    /// not a whole number of milliseconds gives `defaultTimeout` (Synapse's global timeout), and no value waits
    /// longer than it.
    public func timeout(for context: inout MessageContext, default defaultTimeout: TimeAmount) -> TimeAmount {
        guard let dynamicTimeout else { return timeout ?? defaultTimeout }
        guard let text = try? dynamicTimeout.string(&context), let milliseconds = Int64(text.trimmingWhitespace())
        else { return defaultTimeout }
        return min(.milliseconds(milliseconds), defaultTimeout)
    }

    /// The backend as usage statistics name it: the address or URI template (strings held since deploy, so
    /// naming the backend of a call allocates nothing).
    public var analyticsLabel: String {
        switch target {
        case .address(let uri): uri
        case .http(let uriTemplate, _): uriTemplate
        case .messageTo: displayName
        case .clusterMember(let member): member.baseURL
        }
    }

    /// The 303001 fault for this endpoint while it is not ready.
    public func unavailableFault() -> MediationFault {
        .endpointUnavailable(endpointName: displayName, state: state.snapshot.state.name)
    }

    /// The URL to send the message to.
    ///
    /// `address`: the URI plus `REST_URL_POSTFIX` (path and query below the resource), without doubling a
    /// `/` at the seam; with `format="soap11|soap12"` the URI alone, as Synapse sends SOAP. `http`: the template with `{uri.var.x}`, `{query.param.y}` and other `{property}`
    /// references expanded from default-scope properties and percent-encoded; `REST_URL_POSTFIX` is appended
    /// only when the template has no variables (as WSO2's publisher-generated `<http uri-template=…/>` expects).
    /// axis2 `POST_TO_URI`-style overrides are left to the caller.
    public func url(for context: MessageContext) -> String {
        let postfix = context[property: SynapseProperty.restURLPostfix, scope: .axis2]?.stringValue ?? ""
        switch target {
        case .address(let uri):
            // Synapse appends the REST postfix only to REST calls: a SOAP-formatted message goes to the address as
            // written (Axis2FlexibleMEPClient).
            if format == .soap11 || format == .soap12 { return uri }
            return Self.join(uri, postfix)
        case .http(let template, _):
            guard templateHasVariables else { return Self.join(template, postfix) }
            return Self.expand(template, context: context)
        case .messageTo:
            // Empty when the message names no HTTP(S) address: the gateway refuses that URL as invalid.
            return context.addressingDestination ?? ""
        case .clusterMember(let member):
            return member.baseURL + Self.addressedPath(of: context)
        }
    }

    /// The path a message is addressed to, as Synapse's `LoadbalanceEndpoint` takes it for an application member:
    /// the message's `To` (the WS-Addressing `To` when set, else the request URI with its query); of an absolute
    /// URL only its path (Java's `URL.getPath()`, which drops the query).
    static func addressedPath(of context: MessageContext) -> String {
        let to = CompiledRouteSource.url(of: context)
        guard to.contains(":") else { return to }
        guard let target = UpstreamURL(to)?.target else { return "" }
        return String(target.prefix { $0 != "?" })
    }

    /// `url(for:)` already parsed, when the leaf's URL was parsed at deploy time: the postfix appended to the
    /// target, no text built or parsed per request. Nil when the URL depends on the message.
    package func parsedURL(for context: MessageContext) -> UpstreamURL? {
        guard let staticURL else { return nil }
        if case .address = target, format == .soap11 || format == .soap12 { return staticURL }
        return staticURL.appending(postfix: context[property: SynapseProperty.restURLPostfix, scope: .axis2]?.stringValue ?? "")
    }

    /// The method of the outgoing request: the http endpoint's `method`, else axis2 `HTTP_METHOD`, else the
    /// client's.
    public func method(for context: MessageContext) -> String {
        if case .http(_, let method?) = target { return method.uppercased() }
        return context.outgoingMethod
    }

    package static func join(_ base: String, _ postfix: String) -> String {
        guard !postfix.isEmpty else { return base }
        if base.hasSuffix("/") && postfix.hasPrefix("/") { return base + postfix.dropFirst() }
        if !base.hasSuffix("/") && !postfix.hasPrefix("/") && !postfix.hasPrefix("?") { return base + "/" + postfix }
        return base + postfix
    }

    static func expand(_ template: String, context: MessageContext) -> String {
        var output = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            let value: String
            if name.hasPrefix(SynapseProperty.queryParameterPrefix),
                context[property: name] == nil
            {
                value = context.queryParameter(String(name.dropFirst(SynapseProperty.queryParameterPrefix.count))) ?? ""
            } else {
                value = context[property: name]?.stringValue ?? ""
            }
            output += PercentEncoding.encode(value)
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        return output
    }
}

extension ClusterMember {
    /// `http://host:httpPort`, or `https://host:httpsPort` for a member with only an HTTPS port. Synapse picks the
    /// port of the transport the request came in on; Sluice's gateway sends to members over HTTP when it can.
    var baseURL: String {
        if let httpPort { return "http://\(hostName):\(httpPort)" }
        return "https://\(hostName):\(httpsPort ?? 443)"
    }
}
