import Foundation

/// What `sluice login` keeps between commands: the server, the OAuth client it registered and the tokens.
/// Never the password.
struct StoredLogin: Codable, Sendable {
    /// The management server's base URL, without a trailing slash (`http://localhost:9763`).
    var server: String
    var username: String
    /// The OAuth client registered through dynamic client registration (needed to refresh the token).
    var clientID: String
    var clientSecret: String
    var accessToken: String
    var refreshToken: String?
    /// When the access token expires.
    var expiresAt: Date
    var scopes: [String]
}
