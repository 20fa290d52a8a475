public import CoreMetrics

/// What the authentication handler decided for calls to secured resources,
/// `sluice_key_validations_total{outcome}`: `valid`, or why the call was refused (by WSO2's code). Every counter is
/// made when the node starts, so each outcome is listed from the first scrape and a call costs one increment.
public final class KeyValidationMetrics: Sendable {
    /// An outcome and its `outcome` label.
    public enum Outcome: Int, CaseIterable, Sendable {
        /// Authenticated: a token, an API key or a client certificate the API accepts.
        case valid
        /// 900900: the key manager could not answer.
        case keyManagerError
        /// 900901: unknown, forged or foreign token or key, or a token not valid yet.
        case invalidCredentials
        /// 900902: no token or key where the API expects one.
        case missingCredentials
        /// 900903.
        case expired
        /// 900904: revoked or deactivated.
        case inactive
        /// 900905: an application token on a user resource, or the reverse.
        case wrongTokenType
        /// 900906.
        case noMatchingResource
        /// 900907.
        case apiBlocked
        /// 900908: the application is not subscribed (or an API key's address or referer is not permitted).
        case unsubscribed
        /// 900909.
        case subscriptionInactive
        /// 900910: the token has none of the resource's scopes.
        case scopeRefused

        /// The `outcome` label.
        public var label: String {
            switch self {
            case .valid: "valid"
            case .keyManagerError: "key_manager_error"
            case .invalidCredentials: "invalid_credentials"
            case .missingCredentials: "missing_credentials"
            case .expired: "expired"
            case .inactive: "inactive"
            case .wrongTokenType: "wrong_token_type"
            case .noMatchingResource: "no_matching_resource"
            case .apiBlocked: "api_blocked"
            case .unsubscribed: "unsubscribed"
            case .subscriptionInactive: "subscription_inactive"
            case .scopeRefused: "scope_refused"
            }
        }

        /// The outcome of a refusal with WSO2's `code` (900900 for a code outside 900900-900910).
        public init(failureCode code: Int) {
            switch code {
            case 900901: self = .invalidCredentials
            case 900902: self = .missingCredentials
            case 900903: self = .expired
            case 900904: self = .inactive
            case 900905: self = .wrongTokenType
            case 900906: self = .noMatchingResource
            case 900907: self = .apiBlocked
            case 900908: self = .unsubscribed
            case 900909: self = .subscriptionInactive
            case 900910: self = .scopeRefused
            default: self = .keyManagerError
            }
        }
    }

    /// One counter per outcome, by the outcome's raw value.
    private let counters: [Counter]

    /// Makes every outcome's counter with `factory`.
    public init(factory: any MetricsFactory) {
        counters = Outcome.allCases.map { outcome in
            Counter(label: "sluice_key_validations_total", dimensions: [("outcome", outcome.label)], factory: factory)
        }
    }

    /// Counts one call's outcome.
    public func record(_ outcome: Outcome) {
        counters[outcome.rawValue].increment()
    }
}
