/// One operation of an API (`operations[]` of the publisher DTO): a path template and an HTTP verb.
public struct APIOperation: Sendable, Hashable, Codable {
    /// The path below the API context: `/menu`, `/order/{orderId}`, `/*`.
    public var target: String
    /// Upper-case HTTP method.
    public var verb: String
    /// `None`, `Application`, `Application User` or `Any`; nil means `Any`.
    public var authType: String?
    /// The resource-level throttling policy; nil means the API's default (`Unlimited`).
    public var throttlingPolicy: String?
    /// OAuth2 scopes a token must carry to call this operation.
    public var scopes: [String]
    /// The operation policies of its request, response and fault flows (WSO2 v4); nil: none.
    public var operationPolicies: APIOperationPolicies?

    /// Creates an operation.
    public init(
        target: String,
        verb: String,
        authType: String? = nil,
        throttlingPolicy: String? = nil,
        scopes: [String] = [],
        operationPolicies: APIOperationPolicies? = nil
    ) {
        self.target = target
        self.verb = verb
        self.authType = authType
        self.throttlingPolicy = throttlingPolicy
        self.scopes = scopes
        self.operationPolicies = operationPolicies
    }

    private enum CodingKeys: String, CodingKey {
        case target, verb, authType, throttlingPolicy, scopes, operationPolicies
    }

    /// Decodes an operation; absent scopes are an empty list.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            target: try container.decode(String.self, forKey: .target),
            verb: try container.decode(String.self, forKey: .verb),
            authType: try container.decodeIfPresent(String.self, forKey: .authType),
            throttlingPolicy: try container.decodeIfPresent(String.self, forKey: .throttlingPolicy),
            scopes: try container.decodeIfPresent([String].self, forKey: .scopes) ?? [],
            operationPolicies: try container.decodeIfPresent(APIOperationPolicies.self, forKey: .operationPolicies)
        )
    }

    /// The verbs an operation may use (WSO2's publisher offers these).
    public static let allowedVerbs: Set<String> = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]

    /// The verbs of the resources WSO2 creates for an API declared without operations.
    public static let defaultVerbs = ["GET", "PUT", "POST", "DELETE", "PATCH"]

    /// The auth types WSO2's publisher offers, as the gateway reads them.
    public static let allowedAuthTypes: Set<String> = ["None", "Application", "Application User", "Any"]

    /// The auth type with WSO2 2.x's older spelling of `Any` folded in; nil stays nil.
    public var normalizedAuthType: String? {
        authType == "Application & Application User" ? "Any" : authType
    }
}
