import Foundation
import Synchronization

/// Authorization codes (RFC 6749 §4.1) waiting for their exchange, in memory by SHA-256 hash: a code is taken
/// once, whatever the exchange's outcome, and is worthless after its expiry.
///
/// Codes live at most ten minutes, so memory (bounded by `maxEntries`) is enough; a code is exchanged at the key
/// manager that issued it.
final class AuthorizationCodeStore: Sendable {
    /// What the resource owner approved.
    struct Grant: Sendable {
        let consumerKey: String
        let username: String
        let scopes: [String]
        /// The redirect URI the code was sent to; the token request must name the same one.
        let redirectURI: String
        /// Whether the authorization request named `redirect_uri` (then the token request must repeat it).
        let redirectURIWasGiven: Bool
        /// The PKCE `S256` challenge, when the client sent one.
        let codeChallenge: String?
        let expiresAt: Date
    }

    private let grants = Mutex<[Data: Grant]>([:])
    private let maxEntries: Int

    init(maxEntries: Int = 100_000) {
        self.maxEntries = maxEntries
    }

    /// Stores a grant under a new random code.
    /// - Returns: The code, or nil when the store is full of unexpired codes.
    func insert(_ grant: Grant, now: Date) -> String? {
        let code = SecretGenerator.randomValue()
        let stored: Bool = grants.withLock { grants in
            if grants.count >= maxEntries { grants = grants.filter { $0.value.expiresAt > now } }
            guard grants.count < maxEntries else { return false }
            grants[SecretGenerator.hash(code)] = grant
            return true
        }
        return stored ? code : nil
    }

    /// Removes and returns the grant of a code: a second exchange of the same code finds nothing.
    func take(_ code: String) -> Grant? {
        grants.withLock { $0.removeValue(forKey: SecretGenerator.hash(code)) }
    }
}
