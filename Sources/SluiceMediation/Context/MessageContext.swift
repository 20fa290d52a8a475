import Logging
import NIOCore
import NIOHTTP1
import SluiceModel

/// Per-request state the mediation engine works on: the current message (request in the in flow, response in
/// the out flow), its body and the properties of every scope.
///
/// The gateway creates one per request, fills in the well-known properties (`REST_API_CONTEXT`,
/// `REST_URL_POSTFIX`, `uri.var.*`...) when it dispatches, and hands it `inout` to handlers and sequences.
public struct MessageContext: Sendable {
    /// The client's request method (upper case).
    public var method: String
    /// The request path without the query string, as the client sent it.
    public var requestPath: String
    /// The raw query string without `?`, or nil.
    public var query: String?
    /// Transport headers of the current message (the request in the in flow, the response in the out flow).
    public var headers: HTTPHeaders
    /// The payload of the current message. Changing it drops the parsed forms the engine cached.
    public var body: MessageBody {
        didSet { parsedBody = nil }
    }
    /// The response status in the out flow, or the status a `respond` answers with.
    public var statusCode: Int?
    /// True while the current message is the response (out flow).
    public var isResponse: Bool
    // Properties are read and written through `subscript(property:scope:)`; what is stored here is only what
    // was set explicitly. The dispatch properties and `RESPONSE` are derived on read (see `DispatchProperties`),
    // so a request that sets nothing allocates no dictionary.

    /// Default-scope properties set explicitly (`$ctx:` / `get-property('x')`).
    var properties: [String: PropertyValue]
    /// Axis2-scope properties (`$axis2:`) set explicitly, apart from `HTTP_SC`, which lives in `statusCode`.
    var axis2Properties: [String: PropertyValue]
    /// Properties of the remaining writable scopes (`operation`, `axis2-client`).
    var otherScopeProperties: [PropertyScope: [String: PropertyValue]]
    // The dispatch and the call are stored as values with a flag, not as optionals: reading through an optional
    // stored in this (large, indirectly passed) struct copied the whole payload, a dozen retains and releases per
    // derived property read.

    /// The dispatch the derived `REST_*`, `uri.var.*` and `query.param.*` properties come from, once `isDispatched`.
    var dispatch: DispatchProperties
    /// Whether `bindDispatch` ran.
    var isDispatched: Bool
    /// What the authentication handler recorded about the call (the derived `api.ut.*` and `AM_KEY_TYPE`
    /// properties, see `recordCall(_:)`), once `hasRecordedCall`.
    var recordedCall: CallProperties
    /// Whether `recordCall` ran.
    var hasRecordedCall: Bool
    /// True while a property `recordedCall` derives is set or removed explicitly (which then wins over it), so
    /// `callText(_:)` knows whether the recorded value is the one a read by name would give.
    var callPropertiesShadowed: Bool
    /// Whether the usage statistics counted this call already (the latency and usage handlers both record it).
    public var usageRecorded: Bool
    /// Derived default-scope properties a mediator removed (they read nil until set again).
    var removedDerivedProperties: Set<String>
    /// Whether axis2 `REST_URL_POSTFIX` was removed (it reads nil until set again).
    var removedURLPostfix: Bool
    /// True once a backend response became the message: `RESPONSE` reads "true" unless set otherwise.
    var responseMarked: Bool
    /// The request logger; the `log` mediator writes here.
    public var logger: Logger
    /// Wall-clock time for `SYSTEM_TIME` and `SYSTEM_DATE`; tests inject a fixed one.
    public var clock: EpochClock
    /// The API and resource the gateway dispatched the request to (auth type, scopes, tiers, throttle keys),
    /// built at deploy time; nil before dispatch and for requests no API matched.
    public var dispatchedResource: DispatchedResource?
    /// The client's IP address as the connection reports it, when the gateway knows it.
    public var clientAddress: String?
    /// The certificate the client presented on an HTTPS connection that asked for one; nil otherwise.
    public var clientCertificate: ClientCertificate?
    /// The endpoint the message was last sent to (``EndpointLeaf/analyticsLabel``), for usage per backend; nil
    /// until a `send` reached one.
    public var backendEndpoint: String?

    /// The body parsed as JSON or XML, cached until the body changes.
    var parsedBody: ParsedBody?
    /// The request headers, kept when a response replaces them, so faults can answer in the request's format.
    var savedRequestHeaders: HTTPHeaders?
    /// The parameters of the templates being run (`$func:`), innermost last; empty outside templates.
    var templateParameters: [[String: FunctionParameter]]
    /// The deployment's local entries, which `get-property('key')` falls back to; set when a sequence runs.
    var localEntries: LocalEntryTable?
    /// The deployment's named endpoints, for dynamic endpoint keys; set with `localEntries`.
    var namedEndpoints: [String: ResolvedEndpoint]?
    /// WS-Addressing properties set by `<header>` in the default scope.
    var addressing: AddressingProperties
    /// Whether JSON made into XML announces its arrays with `<?xml-multiple?>` (synapse.properties'
    /// `synapse.json.to.xml.process.instruction.enable`, false by default as in WSO2 4.x). The gateway sets it
    /// from its configuration.
    public var writesXMLMultipleMarks: Bool
    /// The request digest a `<cache>` finder missed on, for the collector to store the response under.
    var pendingResponseCache: ResponseCacheTicket?
    /// Places taken under `<throttle>` concurrency limits; given back when the response arrives or the context goes.
    var concurrencyPermits: [ConcurrencyPermit]
    /// The variables of WSO2 Micro Integrator 4.4's `<variable>` mediator, which Synapse Expressions read as `vars.name`.
    var variables: [String: SynapseValue]
    /// The message a `scatter-gather` with `target="variable"` goes on with, carried by its copies.
    var scatterOrigin: ScatterOrigin?
    /// The database transaction `<transaction action="new"/>` began; the copies `clone` and `iterate` make share it.
    public internal(set) var transaction: MessageTransaction?
    /// The transaction `<transaction action="suspend"/>` set aside, until `resume`.
    public internal(set) var suspendedTransaction: MessageTransaction?

    /// Creates the context of a new request.
    /// - Parameters:
    ///   - method: Request method, upper case.
    ///   - requestPath: Path without query.
    ///   - query: Query string without `?`.
    ///   - headers: Request headers.
    ///   - body: `.streaming` unless the gateway has read the body.
    ///   - logger: The request logger.
    public init(
        method: String,
        requestPath: String,
        query: String? = nil,
        headers: HTTPHeaders = HTTPHeaders(),
        body: MessageBody = .streaming,
        logger: Logger = Logger(label: "sluice.mediation")
    ) {
        self.method = method
        self.requestPath = requestPath
        self.query = query
        self.headers = headers
        self.body = body
        self.statusCode = nil
        self.isResponse = false
        self.properties = [:]
        self.axis2Properties = [:]
        self.otherScopeProperties = [:]
        self.dispatch = DispatchProperties(apiName: "", apiContext: "", requestPath: "", query: nil, uriVariables: [])
        self.isDispatched = false
        self.recordedCall = CallProperties.unrecorded
        self.hasRecordedCall = false
        self.callPropertiesShadowed = false
        self.usageRecorded = false
        self.removedDerivedProperties = []
        self.removedURLPostfix = false
        self.responseMarked = false
        self.logger = logger
        self.clock = .system
        self.parsedBody = nil
        self.savedRequestHeaders = nil
        self.templateParameters = []
        self.localEntries = nil
        self.namedEndpoints = nil
        self.addressing = AddressingProperties()
        self.writesXMLMultipleMarks = false
        self.pendingResponseCache = nil
        self.concurrencyPermits = []
        self.variables = [:]
        self.scatterOrigin = nil
        self.transaction = nil
        self.suspendedTransaction = nil
    }

    // MARK: - Properties

    /// Reads or writes a property of a scope; `transport` maps to `headers`. Setting nil removes it.
    ///
    /// Writing axis2 `HTTP_SC` sets `statusCode`; writing axis2 `messageType` or `ContentType` also sets the
    /// `Content-Type` header, as the message formatter would. `registry`, `system` and `env` are read-only here
    /// and always read nil.
    public subscript(property name: String, scope scope: PropertyScope = .default) -> PropertyValue? {
        get {
            switch scope {
            case .default:
                if let value = properties[name] { return value }
                return derivedProperty(name)
            case .transport:
                return headers.first(name: name).map(PropertyValue.string)
            case .axis2:
                if name == SynapseProperty.httpStatusCode { return statusCode.map(PropertyValue.integer) }
                if let value = axis2Properties[name] { return value }
                switch name {
                case SynapseProperty.restURLPostfix:
                    guard !removedURLPostfix, isDispatched else { return nil }
                    return .string(dispatch.urlPostfix)
                case SynapseProperty.httpMethod:
                    // Axis2 sets both for every HTTP request; WSO2's shipped sequences read them.
                    return .string(method)
                case SynapseProperty.transportInURL:
                    return .string(requestPath + (query.map { "?" + $0 } ?? ""))
                default:
                    return nil
                }
            case .operation, .axis2Client:
                return otherScopeProperties[scope]?[name]
            case .function:
                return templateParameters.last?[name]?.propertyValue
            case .registry, .system, .env:
                return nil
            }
        }
        set {
            switch scope {
            case .default:
                store(newValue, named: name)
            case .transport:
                if let newValue {
                    headers.replaceOrAdd(name: name, value: newValue.stringValue)
                } else {
                    headers.remove(name: name)
                }
            case .axis2:
                if name == SynapseProperty.httpStatusCode {
                    statusCode = newValue.flatMap { Int($0.stringValue) }
                    return
                }
                if name == SynapseProperty.restURLPostfix { removedURLPostfix = newValue == nil }
                if newValue != nil && axis2Properties.isEmpty { axis2Properties.reserveCapacity(4) }
                axis2Properties[name] = newValue
                if name == SynapseProperty.messageType || name == SynapseProperty.contentType, let newValue {
                    headers.replaceOrAdd(name: "Content-Type", value: newValue.stringValue)
                }
            case .operation, .axis2Client:
                otherScopeProperties[scope, default: [:]][name] = newValue
            case .registry, .system, .env, .function:
                // `func` parameters are bound by `call-template` only.
                break
            }
        }
    }

    /// Sets (or with nil removes) an explicit default-scope property; removing a derived one hides it.
    private mutating func store(_ value: PropertyValue?, named name: String) {
        if let value {
            // Handlers set a dozen properties per request: one allocation instead of growing step by step.
            if properties.isEmpty { properties.reserveCapacity(16) }
            properties[name] = value
            if !removedDerivedProperties.isEmpty { removedDerivedProperties.remove(name) }
        } else {
            properties.removeValue(forKey: name)
            if name == SynapseProperty.response || DispatchProperties.derives(name) || CallProperties.derives(name) {
                removedDerivedProperties.insert(name)
            }
        }
        if !callPropertiesShadowed && CallProperties.derives(name) && CallProperties.isDerivedName(name) {
            callPropertiesShadowed = true
        }
    }

    /// `RESPONSE`, the call's and the dispatch properties, unless removed.
    private func derivedProperty(_ name: String) -> PropertyValue? {
        if !removedDerivedProperties.isEmpty && removedDerivedProperties.contains(name) { return nil }
        if name == SynapseProperty.response { return responseMarked ? .string("true") : nil }
        if hasRecordedCall, let value = recordedCall.value(named: name) { return value }
        return isDispatched ? dispatch.value(named: name) : nil
    }

    /// Records what the authentication handler knows about the call as the `api.ut.*` and `AM_KEY_TYPE`
    /// properties, derived on read; like setting each of them, it replaces what was set or removed under the
    /// names it has a value for, and leaves the others as they are.
    public mutating func recordCall(_ call: CallProperties) {
        // Usually only `api.ut.requestTime` is set by now: a walk over one or two keys, no hashing of a dozen names.
        for name in properties.keys where call.value(named: name) != nil {
            properties.removeValue(forKey: name)
        }
        if !removedDerivedProperties.isEmpty {
            removedDerivedProperties = removedDerivedProperties.filter { call.value(named: $0) == nil }
        }
        recordedCall = call
        hasRecordedCall = true
        // What was set or removed under a name the call has no value for still wins over it.
        callPropertiesShadowed =
            properties.keys.contains(where: CallProperties.isDerivedName)
            || removedDerivedProperties.contains(where: CallProperties.isDerivedName)
    }

    /// A property the authentication handler recorded for the call, as a read of `field.propertyName` would give
    /// it, without the lookup by name while no mediator has set or removed one of those properties.
    /// - Parameter field: Which of the call's properties.
    /// - Returns: Its text, or nil when it has none.
    public func callText(_ field: CallProperties.Field) -> String? {
        if callPropertiesShadowed { return self[property: field.propertyName]?.stringValue }
        return hasRecordedCall ? recordedCall.text(field) : nil
    }

    /// What the authentication handler recorded about the call, if it did.
    public var callProperties: CallProperties? {
        hasRecordedCall ? recordedCall : nil
    }

    /// The value of query parameter `name` as Synapse's `query.param.<name>` holds it (the name as written, the
    /// value decoded with `+` read as a space, the last of a name winning; see `QueryParameters`), or nil.
    public func queryParameter(_ name: String) -> String? {
        query.flatMap { QueryParameters.value(named: name[...], in: $0[...]) }
    }

    /// The method the outgoing request uses: axis2 `HTTP_METHOD` when set, the client's otherwise.
    public var outgoingMethod: String {
        axis2Properties[SynapseProperty.httpMethod]?.stringValue.uppercased() ?? method
    }

    /// True when the outgoing message must have no body (axis2 `NO_ENTITY_BODY` is true).
    public var hasNoEntityBody: Bool {
        // Asked for every reply: nothing to look up when no axis2 property is set, no text made for a boolean.
        guard !axis2Properties.isEmpty, let value = axis2Properties[SynapseProperty.noEntityBody] else { return false }
        if case .boolean(let flag) = value { return flag }
        return value.stringValue.lowercased() == "true"
    }

    // MARK: - Faults and responses

    /// Records a fault the way Synapse does before it runs a fault sequence: `ERROR_CODE`, `ERROR_MESSAGE`
    /// and `ERROR_DETAIL` in the default scope.
    public mutating func recordFault(_ fault: MediationFault) {
        store(.integer(fault.code), named: SynapseProperty.errorCode)
        store(.string(fault.message), named: SynapseProperty.errorMessage)
        store(fault.detail.map(PropertyValue.string), named: SynapseProperty.errorDetail)
        // A fault ends the message's passage through a throttle, as Synapse's endpoint failure gives the place back.
        if !concurrencyPermits.isEmpty { concurrencyPermits.removeAll() }
    }

    /// Makes a backend response the current message (after `send`, or to resume after `call`).
    /// - Parameters:
    ///   - status: The backend's status code.
    ///   - headers: The backend's response headers.
    ///   - body: `.streaming` unless the gateway read the body.
    public mutating func receiveResponse(status: Int, headers: HTTPHeaders, body: MessageBody) {
        if savedRequestHeaders == nil { savedRequestHeaders = self.headers }
        // The message type set for the request described what went to the backend; in Synapse the response
        // arrives in a new axis2 context whose message type is its own Content-Type.
        if !axis2Properties.isEmpty {
            axis2Properties.removeValue(forKey: SynapseProperty.messageType)
            axis2Properties.removeValue(forKey: SynapseProperty.contentType)
            // A GET's `NO_ENTITY_BODY` described the request too: the response's body is its own.
            axis2Properties.removeValue(forKey: SynapseProperty.noEntityBody)
        }
        self.statusCode = status
        self.headers = headers
        self.body = body
        self.isResponse = true
        // Synapse gives a throttle's concurrency place back when the backend's response arrives.
        if !concurrencyPermits.isEmpty { concurrencyPermits.removeAll() }
        // `RESPONSE` = "true", without a dictionary insert per request.
        responseMarked = true
        if !properties.isEmpty { properties.removeValue(forKey: SynapseProperty.response) }
        if !removedDerivedProperties.isEmpty { removedDerivedProperties.remove(SynapseProperty.response) }
    }

    /// The headers of the client's request, even after a backend response became the current message.
    public var requestHeaders: HTTPHeaders {
        savedRequestHeaders ?? headers
    }

    /// The `{{path}}` the innermost template's parameter holds; nil for a value or outside templates.
    func templatePath(named name: String) -> CompiledExpression? {
        if case .path(let path)? = templateParameters.last?[name] { return path }
        return nil
    }

    /// True when the innermost template has a `{{path}}` parameter, so `$func:` in an XPath may select nodes.
    var hasTemplatePaths: Bool {
        templateParameters.last?.values.contains { if case .path = $0 { true } else { false } } ?? false
    }

    /// The SOAP version of the current message, from its `Content-Type` and `SOAPAction` headers; nil for plain HTTP.
    public var soapVersion: SOAPVersion? {
        SOAPVersion(headers: headers)
    }

    /// Every property lookup of expressions (`get-property`, `$ctx:`...): the scoped property, and in the
    /// default scope also Synapse's built-in names `To` (the request path and query), `REST_METHOD` (the client's
    /// method, once dispatched to an API), `MESSAGE_FORMAT`
    /// (`soap11`, `soap12` or `pox`), `ContentType` (the current `Content-Type`), `SYSTEM_TIME` (epoch milliseconds) and `SYSTEM_DATE`
    /// (ISO 8601 UTC; `get-property('SYSTEM_DATE', 'yyyy-MM-dd')` formats with a Java date pattern).
    public func lookupProperty(scope: PropertyScope, name: String) -> PropertyValue? {
        if let value = self[property: name, scope: scope] { return value }
        // Registry resources are local entries here (`conf:/...` and `gov:/...` keys included); a resource's
        // property (`path@name`) has no counterpart.
        if scope == .registry { return name.contains("@") ? nil : localEntries?.value(forKey: name) }
        guard scope == .default else { return nil }
        switch name {
        case "To":
            if let to = addressing.to { return .string(to) }
            return .string(requestPath + (query.map { "?" + $0 } ?? ""))
        case "Action":
            if let action = addressing.action { return .string(action) }
            return headers.first(name: "SOAPAction").map { .string($0.filter { $0 != "\"" }) }
        case "From", "FaultTo", "ReplyTo", "RelatesTo", "MessageID":
            return addressing[name].map(PropertyValue.string)
        case "REST_METHOD":
            // Synapse's resource dispatch records the client's method.
            return isDispatched ? .string(method) : nil
        case "MESSAGE_FORMAT":
            // Synapse's names: the SOAP version of a SOAP message, `pox` for any other (REST) message. A response
            // is REST when its request was (the transport copies `doingREST` to it), so a SOAP 1.1 reply, which
            // carries no SOAPAction, and a handler's SOAP fault answer read as the request's version.
            switch isResponse ? SOAPVersion(headers: requestHeaders) : soapVersion {
            case .soap11?: return "soap11"
            case .soap12?: return "soap12"
            case nil: return "pox"
            }
        case "ContentType":
            return headers.first(name: "Content-Type").map(PropertyValue.string)
        case "SYSTEM_TIME":
            return .integer(Int(clock.millisecondsSinceEpoch()))
        case "SYSTEM_DATE":
            return .string(clock.iso8601())
        default:
            // Synapse's get-property falls back to a local entry of that key.
            return localEntries?.value(forKey: name)
        }
    }

    /// Binds the properties Synapse sets when it dispatches a request to an API resource.
    ///
    /// Sets `SYNAPSE_REST_API`, `REST_API_CONTEXT`, `REST_FULL_REQUEST_PATH` (path and query),
    /// `REST_SUB_REQUEST_PATH` (below the context), axis2 `REST_URL_POSTFIX` (the sub-path and query an address
    /// endpoint appends), `uri.var.<name>` for each template variable and `query.param.<name>` for each query
    /// parameter (as Synapse splits the query, see `QueryParameters`).
    /// - Parameters:
    ///   - apiName: The API's `name`.
    ///   - apiContext: The context the request matched (version substituted).
    ///   - uriVariables: Variables the resource's `uri-template` bound, without the `uri.var.` prefix.
    public mutating func bindDispatch(apiName: String, apiContext: String, uriVariables: [String: String] = [:]) {
        bindDispatch(apiName: apiName, apiContext: apiContext, orderedURIVariables: uriVariables.map { ($0.key, $0.value) })
    }

    /// Binds the dispatch properties (see `bindDispatch(apiName:apiContext:uriVariables:)`) with the template
    /// variables in template order; the first binding of a name wins.
    public mutating func bindDispatch(apiName: String, apiContext: String, orderedURIVariables: [(String, String)]) {
        if !properties.isEmpty {
            // Binding replaces what was set under these names before, as storing the properties did.
            for name in [
                SynapseProperty.synapseRestAPI, SynapseProperty.restAPIContext, SynapseProperty.restFullRequestPath,
                SynapseProperty.restSubRequestPath,
            ] {
                properties.removeValue(forKey: name)
            }
            for (name, _) in (isDispatched ? dispatch.uriVariables : []) + orderedURIVariables {
                properties.removeValue(forKey: SynapseProperty.uriVariablePrefix + name)
            }
        }
        axis2Properties.removeValue(forKey: SynapseProperty.restURLPostfix)
        removedURLPostfix = false
        if !removedDerivedProperties.isEmpty {
            removedDerivedProperties = removedDerivedProperties.filter { !DispatchProperties.derives($0) }
        }
        dispatch = DispatchProperties(
            apiName: apiName,
            apiContext: apiContext,
            requestPath: requestPath,
            query: query,
            uriVariables: orderedURIVariables
        )
        isDispatched = true
    }
}

/// The body parsed as JSON, cached until the body changes.
enum ParsedBody: Sendable {
    case json(JSONValue)
    case notJSON
}
