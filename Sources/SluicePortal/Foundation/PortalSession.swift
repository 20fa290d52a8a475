public import Foundation

/// A browser's session with the portals: anonymous until the user signs in (so the sign-in form has a CSRF
/// token too), then bound to a user. Signing in always starts a new session, so an id planted before sign-in
/// is worthless afterwards.
public struct PortalSession: Sendable, Hashable {
    /// A message for the next page the browser shows, then dropped.
    public struct Flash: Sendable, Hashable {
        public var message: String
        public var isError: Bool
        /// Lines listed under the message (a saved source's deployment warnings).
        public var details: [String]

        public init(_ message: String, isError: Bool = false, details: [String] = []) {
            self.message = message
            self.isError = isError
            self.details = details
        }
    }

    /// The cookie value: 256 random bits, base64url.
    public let id: String
    /// The signed-in user; nil for an anonymous session.
    public var username: String?
    /// The user's role names (`Internal/subscriber`, `admin`, ...).
    public var roles: [String]
    /// The token every form of this session carries in `_csrf`.
    public let csrfToken: String
    public var flash: Flash?
    public let created: Date
    public var lastSeen: Date

    /// Whether a user is signed in.
    public var isSignedIn: Bool { username != nil }

    /// Whether the user holds any of these roles (`admin` holds every role).
    public func hasAny(of roles: [String]) -> Bool {
        self.roles.contains("admin") || roles.contains(where: self.roles.contains)
    }
}
