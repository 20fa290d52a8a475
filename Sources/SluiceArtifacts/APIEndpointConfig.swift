/// `endpointConfig` of the publisher DTO: where the gateway sends production and sandbox traffic.
///
/// WSO2 writes a single endpoint as an object (`"production_endpoints": {"url": "..."}`) and load-balanced
/// members as a list; both forms decode. Failover lists the primary in `production_endpoints` and the
/// secondaries in `production_failovers`.
public struct APIEndpointConfig: Sendable, Hashable, Codable {
    /// How the endpoints are used: one, load balanced, or failover.
    public var endpointType: EndpointType
    /// Endpoints for production keys (the failover primary first).
    public var productionEndpoints: [APIEndpoint]
    /// Endpoints for sandbox keys.
    public var sandboxEndpoints: [APIEndpoint]
    /// Failover secondaries, in priority order.
    public var productionFailovers: [APIEndpoint]
    /// Sandbox failover secondaries, in priority order.
    public var sandboxFailovers: [APIEndpoint]
    /// `algoClassName` of a load-balanced endpoint; nil means round robin.
    public var algorithmClassName: String?
    /// `sessionManagement` of a load-balanced endpoint: `http` or `simpleClientSession` (nil or empty: none).
    public var sessionManagement: String?
    /// `endpoint_timeout`: the timeout in milliseconds for every endpoint without its own `config.actionDuration`.
    public var endpointTimeout: Int64?

    /// Creates an endpoint configuration.
    public init(
        endpointType: EndpointType = .http,
        productionEndpoints: [APIEndpoint] = [],
        sandboxEndpoints: [APIEndpoint] = [],
        productionFailovers: [APIEndpoint] = [],
        sandboxFailovers: [APIEndpoint] = [],
        algorithmClassName: String? = nil,
        sessionManagement: String? = nil,
        endpointTimeout: Int64? = nil
    ) {
        self.endpointType = endpointType
        self.productionEndpoints = productionEndpoints
        self.sandboxEndpoints = sandboxEndpoints
        self.productionFailovers = productionFailovers
        self.sandboxFailovers = sandboxFailovers
        self.algorithmClassName = algorithmClassName
        self.sessionManagement = sessionManagement
        self.endpointTimeout = endpointTimeout
    }

    /// `endpoint_type`.
    public enum EndpointType: String, Sendable, Hashable, Codable, CaseIterable {
        /// `<http uri-template=>`: the URL may use `{uri.var.x}`.
        case http
        /// `<address uri=>`: the request path below the resource is appended to the URL.
        case address
        /// `<loadbalance>` over the listed endpoints.
        case loadBalance = "load_balance"
        /// `<failover>`: the endpoint first, then the failovers.
        case failover
    }

    private enum CodingKeys: String, CodingKey {
        case endpointType = "endpoint_type"
        case productionEndpoints = "production_endpoints"
        case sandboxEndpoints = "sandbox_endpoints"
        case productionFailovers = "production_failovers"
        case sandboxFailovers = "sandbox_failovers"
        case algorithmClassName = "algoClassName"
        case sessionManagement
        case endpointTimeout = "endpoint_timeout"
    }

    /// Decodes the WSO2 shape; entries with an empty `url` (the publisher UI sends them) count as absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func endpoints(_ key: CodingKeys) throws -> [APIEndpoint] {
            guard container.contains(key), try !container.decodeNil(forKey: key) else { return [] }
            let list: [APIEndpoint]
            if let many = try? container.decode([APIEndpoint].self, forKey: key) {
                list = many
            } else {
                list = [try container.decode(APIEndpoint.self, forKey: key)]
            }
            return list.filter { !$0.url.allSatisfy(\.isWhitespace) }
        }
        self.init(
            endpointType: try container.decodeIfPresent(EndpointType.self, forKey: .endpointType) ?? .http,
            productionEndpoints: try endpoints(.productionEndpoints),
            sandboxEndpoints: try endpoints(.sandboxEndpoints),
            productionFailovers: try endpoints(.productionFailovers),
            sandboxFailovers: try endpoints(.sandboxFailovers),
            algorithmClassName: try container.decodeIfPresent(String.self, forKey: .algorithmClassName),
            sessionManagement: try container.decodeIfPresent(String.self, forKey: .sessionManagement),
            endpointTimeout: try container.decodeIfPresent(LenientNumber.self, forKey: .endpointTimeout)?.int64
        )
    }

    /// Encodes the WSO2 shape: single endpoints as objects, load-balanced members as lists.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(endpointType, forKey: .endpointType)
        func encodeEndpoints(_ list: [APIEndpoint], _ key: CodingKeys, alwaysList: Bool) throws {
            if list.count == 1 && !alwaysList {
                try container.encode(list[0], forKey: key)
            } else if !list.isEmpty {
                try container.encode(list, forKey: key)
            }
        }
        let listsMembers = endpointType == .loadBalance
        try encodeEndpoints(productionEndpoints, .productionEndpoints, alwaysList: listsMembers)
        try encodeEndpoints(sandboxEndpoints, .sandboxEndpoints, alwaysList: listsMembers)
        try encodeEndpoints(productionFailovers, .productionFailovers, alwaysList: true)
        try encodeEndpoints(sandboxFailovers, .sandboxFailovers, alwaysList: true)
        try container.encodeIfPresent(algorithmClassName, forKey: .algorithmClassName)
        try container.encodeIfPresent(sessionManagement, forKey: .sessionManagement)
        try container.encodeIfPresent(endpointTimeout, forKey: .endpointTimeout)
    }
}

/// One backend URL with its optional advanced settings (`{"url": "...", "config": {...}}`).
public struct APIEndpoint: Sendable, Hashable, Codable {
    /// The backend URL (`http://` or `https://`); `http` endpoints may use `{uri.var.x}`.
    public var url: String
    /// Timeout and suspension settings; nil keeps WSO2's "never suspend" defaults.
    public var config: APIEndpointAdvancedConfig?

    /// Creates an endpoint entry.
    public init(url: String, config: APIEndpointAdvancedConfig? = nil) {
        self.url = url
        self.config = config
    }
}

/// The publisher UI's "advanced endpoint configuration" (`config` of an endpoint entry), WSO2's key names.
///
/// WSO2 sends these numbers as strings; numbers and numeric strings both decode.
public struct APIEndpointAdvancedConfig: Sendable, Hashable, Codable {
    /// `actionDuration`: timeout in milliseconds.
    public var actionDuration: Int64?
    /// `actionSelect`: `fault`, `discard` or `never`.
    public var actionSelect: String?
    /// `suspendErrorCode`: codes that suspend the endpoint at once.
    public var suspendErrorCode: [Int]
    /// `suspendDuration`: initial suspension in milliseconds.
    public var suspendDuration: Int64?
    /// `suspendMaxDuration`: longest suspension in milliseconds.
    public var suspendMaxDuration: Int64?
    /// `factor`: progression factor of the suspension duration.
    public var factor: Double?
    /// `retryErroCode` (sic, WSO2's spelling): codes that mark the endpoint for suspension.
    public var retryErrorCode: [Int]
    /// `retryTimeOut`: retries before suspension.
    public var retryTimeOut: Int?
    /// `retryDelay`: milliseconds between retries.
    public var retryDelay: Int64?

    /// Creates advanced settings; nil and empty values leave WSO2's "never suspend" defaults in place.
    public init(
        actionDuration: Int64? = nil,
        actionSelect: String? = nil,
        suspendErrorCode: [Int] = [],
        suspendDuration: Int64? = nil,
        suspendMaxDuration: Int64? = nil,
        factor: Double? = nil,
        retryErrorCode: [Int] = [],
        retryTimeOut: Int? = nil,
        retryDelay: Int64? = nil
    ) {
        self.actionDuration = actionDuration
        self.actionSelect = actionSelect
        self.suspendErrorCode = suspendErrorCode
        self.suspendDuration = suspendDuration
        self.suspendMaxDuration = suspendMaxDuration
        self.factor = factor
        self.retryErrorCode = retryErrorCode
        self.retryTimeOut = retryTimeOut
        self.retryDelay = retryDelay
    }

    private enum CodingKeys: String, CodingKey {
        case actionDuration, actionSelect, suspendErrorCode, suspendDuration, suspendMaxDuration, factor
        case retryErrorCode = "retryErroCode"
        case retryTimeOut, retryDelay
    }

    /// Decodes WSO2's string-typed numbers as well as plain numbers.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func number(_ key: CodingKeys) throws -> LenientNumber? {
            try container.decodeIfPresent(LenientNumber.self, forKey: key)
        }
        func codes(_ key: CodingKeys) throws -> [Int] {
            try (container.decodeIfPresent([LenientNumber].self, forKey: key) ?? []).compactMap(\.int)
        }
        let action = try container.decodeIfPresent(String.self, forKey: .actionSelect)
        self.init(
            actionDuration: try number(.actionDuration)?.int64,
            actionSelect: action?.isEmpty == true ? nil : action,
            suspendErrorCode: try codes(.suspendErrorCode),
            suspendDuration: try number(.suspendDuration)?.int64,
            suspendMaxDuration: try number(.suspendMaxDuration)?.int64,
            factor: try number(.factor)?.double,
            retryErrorCode: try codes(.retryErrorCode),
            retryTimeOut: try number(.retryTimeOut)?.int,
            retryDelay: try number(.retryDelay)?.int64
        )
    }
}

/// A JSON number, or a string holding one (an empty string reads as absent).
struct LenientNumber: Decodable, Hashable {
    var double: Double?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            double = number
        } else {
            let text = try container.decode(String.self).filter { !$0.isWhitespace }
            guard !text.isEmpty else {
                double = nil
                return
            }
            guard let number = Double(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "expected a number, found \"\(text)\""
                )
            }
            double = number
        }
    }

    var int64: Int64? { double.flatMap { Int64(exactly: $0.rounded()) } }
    var int: Int? { double.flatMap { Int(exactly: $0.rounded()) } }
}
