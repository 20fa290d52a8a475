import NIOCore
import Synchronization

/// The access tokens of one OAuth endpoint, by the token request that got them (WSO2's `TokenCache`, keyed by the
/// hash of the resolved settings). A token is used until `expires_in` runs out, at most 3,000 seconds (WSO2's
/// cache timeout), and until the backend refuses it. Concurrent callers that find no valid token share one token
/// request instead of each sending their own.
package final class OAuthTokenCache: Sendable {
    /// WSO2's `TOKEN_CACHE_TIMEOUT`: the longest a token is kept, and how long one without `expires_in` is kept.
    package static let longestLifetime: Int64 = 3000
    /// More distinct requests than this (settings taken from each message) evict tokens, expired ones first.
    package static let capacity = 256

    private struct Entry {
        var token: String?
        var expires: NIODeadline
        /// The token request under way; every caller meanwhile waits for it.
        var pending: EventLoopFuture<String>?
    }

    /// What the cache has for a caller.
    package enum Lookup {
        case ready(String)
        /// A token request is under way; the future completes on the caller's event loop.
        case pending(EventLoopFuture<String>)
    }

    private enum Decision {
        case ready(String)
        case join(EventLoopFuture<String>)
        case fetch(EventLoopPromise<String>)
    }

    private let entries = Mutex<[String: Entry]>([:])

    package init() {}

    /// The token for `key`, or the future of the one token request made for it.
    /// - Parameters:
    ///   - key: Identifies the token request (its URL, form and headers).
    ///   - rejected: A token the backend refused: it is not handed out again.
    ///   - eventLoop: The caller's loop.
    ///   - now: The current time; a token fetched now expires `expires_in` seconds after it.
    ///   - fetch: Sends the token request; called at most once, outside the lock.
    package func token(
        for key: String,
        rejecting rejected: String? = nil,
        on eventLoop: any EventLoop,
        now: NIODeadline,
        fetch: () -> EventLoopFuture<OAuthTokenGrant>
    ) -> Lookup {
        let decision: Decision = entries.withLock { entries in
            if let entry = entries[key] {
                if let pending = entry.pending { return .join(pending) }
                if let token = entry.token, token != rejected, now < entry.expires { return .ready(token) }
            }
            if entries[key] == nil, entries.count >= Self.capacity { Self.evict(from: &entries, now: now) }
            let promise = eventLoop.makePromise(of: String.self)
            entries[key] = Entry(token: nil, expires: now, pending: promise.futureResult)
            return .fetch(promise)
        }
        switch decision {
        case .ready(let token):
            return .ready(token)
        case .join(let pending):
            return .pending(pending.hop(to: eventLoop))
        case .fetch(let promise):
            fetch().whenComplete { [self] result in
                switch result {
                case .success(let grant):
                    let lifetime = min(max(grant.expiresIn ?? Self.longestLifetime, 0), Self.longestLifetime)
                    store(key, Entry(token: grant.accessToken, expires: now + .seconds(lifetime)))
                    promise.succeed(grant.accessToken)
                case .failure(let error):
                    forget(key, pending: promise.futureResult)
                    promise.fail(error)
                }
            }
            return .pending(promise.futureResult)
        }
    }

    /// How many tokens or token requests the cache holds.
    package var count: Int { entries.withLock { $0.count } }

    private func store(_ key: String, _ entry: Entry) {
        entries.withLock { $0[key] = entry }
    }

    /// Drops the failed request's entry, unless another request has replaced it meanwhile.
    private func forget(_ key: String, pending: EventLoopFuture<String>) {
        entries.withLock { entries in
            if let current = entries[key]?.pending, current === pending { entries[key] = nil }
        }
    }

    private static func evict(from entries: inout [String: Entry], now: NIODeadline) {
        let expired = entries.filter { $0.value.pending == nil && $0.value.expires <= now }.map(\.key)
        if expired.isEmpty {
            // Every entry is live: drop the one expiring soonest that no caller waits for.
            let settled = entries.filter { $0.value.pending == nil }
            if let soonest = settled.min(by: { $0.value.expires < $1.value.expires })?.key {
                entries[soonest] = nil
            }
        } else {
            for key in expired { entries[key] = nil }
        }
    }
}

/// What a token endpoint answered: `access_token` and, when it says, `expires_in` seconds.
package struct OAuthTokenGrant: Sendable, Hashable {
    package var accessToken: String
    package var expiresIn: Int64?

    package init(accessToken: String, expiresIn: Int64?) {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
    }
}

extension OAuthTokenGrant {
    /// Reads a token endpoint's answer as WSO2's `OAuthClient.extractToken` does: anything but 200 fails, and the
    /// body is a JSON object with `access_token` (and, which Sluice also reads, `expires_in` in seconds, a number or
    /// a numeric string). Failures say what was wrong without quoting the body.
    package static func read(status: Int, body: [UInt8]) -> Result<OAuthTokenGrant, OAuthTokenRequest.Failure> {
        guard status == 200 else {
            return .failure(.init("Error while accessing the Token URL: the token endpoint answered HTTP \(status)"))
        }
        guard let json = try? JSONParser.parse(body), case .object = json else {
            return .failure(.init("The token endpoint's answer is not a JSON object"))
        }
        guard let token = json["access_token"], case .string(let accessToken) = token, !accessToken.isEmpty else {
            return .failure(.init("Missing key [access_token] in the response from the OAuth server"))
        }
        var expiresIn: Int64?
        switch json["expires_in"] {
        case .number(let text)?: expiresIn = Int64(text) ?? Double(text).map { Int64($0) }
        case .string(let text)?: expiresIn = Int64(text)
        default: break
        }
        return .success(OAuthTokenGrant(accessToken: accessToken, expiresIn: expiresIn))
    }
}
