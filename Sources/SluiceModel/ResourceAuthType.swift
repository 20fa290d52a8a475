/// How the gateway authenticates calls to a resource: WSO2's resource "auth type" (`x-auth-type`).
public enum ResourceAuthType: String, Sendable, Hashable, CaseIterable {
    /// No token needed; the caller is throttled per client IP against the `Unauthenticated` tier.
    case none = "None"
    /// Application tokens only (client_credentials).
    case application = "Application"
    /// User tokens only (password, authorization_code...).
    case applicationUser = "Application User"
    /// Any valid token.
    case any = "Any"

    /// Reads the `auth-type` attribute as WSO2's publisher and API definitions spell it (`None`,
    /// `Application`, `Application User`, `Application_User`, `Any`, case-insensitive); nil means `Any`.
    /// - Parameter text: The attribute value.
    public init(attribute text: String?) {
        guard let text else {
            self = .any
            return
        }
        switch text.lowercased().replacing("_", with: " ") {
        case "none": self = .none
        case "application": self = .application
        case "application user", "applicationuser": self = .applicationUser
        default: self = .any
        }
    }

    /// True when a call needs no token.
    public var isAnonymous: Bool { self == .none }
}
