import Foundation
import Crypto
import Synchronization

/// The portals' sessions, in memory: they end with the process, which signs everyone out.
public final class PortalSessionStore: Sendable {
    private let sessions = Mutex<[String: PortalSession]>([:])
    private let configuration: PortalConfiguration

    /// Creates an empty store.
    public init(configuration: PortalConfiguration) {
        self.configuration = configuration
    }

    /// 256 bits from the system CSPRNG, base64url without padding (cookie- and form-safe).
    static func randomToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Starts a session.
    /// - Parameters:
    ///   - username: The signed-in user, or nil for an anonymous session.
    ///   - roles: The user's role names.
    ///   - flash: A message for the first page.
    /// - Returns: The new session.
    @discardableResult
    public func create(username: String? = nil, roles: [String] = [], flash: PortalSession.Flash? = nil)
        -> PortalSession
    {
        let now = configuration.now()
        let session = PortalSession(
            id: Self.randomToken(),
            username: username,
            roles: roles,
            csrfToken: Self.randomToken(),
            flash: flash,
            created: now,
            lastSeen: now
        )
        sessions.withLock { all in
            removeExpired(from: &all, now: now)
            if let username {
                let own = all.values.filter { $0.username?.caseInsensitiveCompare(username) == .orderedSame }
                    .sorted { $0.lastSeen < $1.lastSeen }
                for old in own.prefix(max(0, own.count - configuration.maximumSessionsPerUser + 1)) {
                    all[old.id] = nil
                }
            }
            if all.count >= configuration.maximumSessions {
                // Anonymous sessions go first: a flood of visitors must not sign users out.
                let victims = all.values.sorted { ($0.isSignedIn ? 1 : 0, $0.lastSeen) < ($1.isSignedIn ? 1 : 0, $1.lastSeen) }
                for old in victims.prefix(all.count - configuration.maximumSessions + 1) { all[old.id] = nil }
            }
            all[session.id] = session
        }
        return session
    }

    /// The live session with this id, marked as used now; nil when unknown or expired (and then removed).
    public func session(id: String) -> PortalSession? {
        let now = configuration.now()
        return sessions.withLock { all in
            guard var session = all[id] else { return nil }
            guard isLive(session, now: now) else {
                all[id] = nil
                return nil
            }
            session.lastSeen = now
            all[id] = session
            return session
        }
    }

    /// Ends a session.
    public func remove(id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// Ends every session of a user (after a password change or when an administrator removes the user).
    public func removeAll(username: String) {
        sessions.withLock { all in
            all = all.filter { $0.value.username?.caseInsensitiveCompare(username) != .orderedSame }
        }
    }

    /// Leaves a message for the session's next page.
    public func setFlash(_ flash: PortalSession.Flash, id: String) {
        sessions.withLock { all in all[id]?.flash = flash }
    }

    /// The session's message, removed so it shows once.
    public func takeFlash(id: String) -> PortalSession.Flash? {
        sessions.withLock { all in
            let flash = all[id]?.flash
            all[id]?.flash = nil
            return flash
        }
    }

    /// The number of live sessions.
    public var count: Int {
        let now = configuration.now()
        return sessions.withLock { all in
            removeExpired(from: &all, now: now)
            return all.count
        }
    }

    private func isLive(_ session: PortalSession, now: Date) -> Bool {
        now.timeIntervalSince(session.lastSeen) < configuration.idleTimeout
            && now.timeIntervalSince(session.created) < configuration.absoluteTimeout
    }

    private func removeExpired(from all: inout [String: PortalSession], now: Date) {
        all = all.filter { isLive($0.value, now: now) }
    }
}
