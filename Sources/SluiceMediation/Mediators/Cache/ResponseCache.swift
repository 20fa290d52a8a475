import Crypto
import NIOCore
import NIOHTTP1
import SluiceModel
import Synchronization

/// The responses one `<cache>` finder keeps: at most `maxSize` of them, the least recently used evicted first, each
/// fresh until its own expiry. Shared by every event loop behind a lock held for a dictionary lookup only, so a
/// request pays no actor hop.
final class ResponseCache: Sendable {
    /// A cached response.
    struct Entry: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: ByteBuffer
        /// When it was stored, epoch milliseconds.
        let storedAt: Int64
        /// When it stops being fresh, epoch milliseconds.
        let expiresAt: Int64
    }

    /// What the collector stores and for how long.
    struct Rules: Sendable {
        /// Freshness in milliseconds.
        let timeout: Int64
        /// The largest body stored, in bytes; nil for no limit.
        let maxMessageSize: Int?
        /// The status codes stored (whole match); nil for every code.
        let responseCodes: SharedRegex?
        /// Honour the response's `Cache-Control`.
        let honoursCacheControl: Bool
    }

    let rules: Rules
    private let entries: Mutex<LRUDictionary<SHA256Digest, Entry>>

    init(maxSize: Int, rules: Rules) {
        self.rules = rules
        self.entries = Mutex(LRUDictionary(capacity: maxSize))
    }

    /// The fresh response cached for `digest`, or nil (an expired one is dropped).
    func response(for digest: SHA256Digest, now: Int64) -> Entry? {
        entries.withLock { entries in
            guard let entry = entries.value(forKey: digest) else { return nil }
            guard entry.expiresAt > now else {
                _ = entries.removeValue(forKey: digest)
                return nil
            }
            return entry
        }
    }

    /// Stores the response unless the rules keep it out.
    /// - Returns: True when it was stored.
    @discardableResult
    func store(status: Int, headers: HTTPHeaders, body: ByteBuffer, for digest: SHA256Digest, now: Int64) -> Bool {
        if let limit = rules.maxMessageSize, body.readableBytes > limit { return false }
        if let codes = rules.responseCodes, !codes.matches(String(status)) { return false }
        var lifetime = rules.timeout
        if rules.honoursCacheControl, let control = CacheControl(headers) {
            if control.forbidsStoring { return false }
            if let maxAge = control.maxAge { lifetime = min(lifetime, maxAge * 1000) }
        }
        guard lifetime > 0 else { return false }
        let entry = Entry(status: status, headers: headers, body: body, storedAt: now, expiresAt: now + lifetime)
        entries.withLock { _ = $0.updateValue(entry, forKey: digest) }
        return true
    }

    /// The number of responses held (expired ones included until looked up).
    var count: Int { entries.withLock { $0.count } }
}

/// The directives of a response's `Cache-Control` the cache heeds.
struct CacheControl {
    /// `no-store` or `no-cache` (Sluice does not revalidate, so a response that must be revalidated is not kept).
    var forbidsStoring = false
    /// `max-age` (or `s-maxage`) in seconds.
    var maxAge: Int64?

    init?(_ headers: HTTPHeaders) {
        let values = headers[canonicalForm: "Cache-Control"]
        guard !values.isEmpty else { return nil }
        for directive in values {
            let parts = directive.split(separator: "=", maxSplits: 1)
            let name = String(parts[0]).trimmingSpaces().lowercased()
            switch name {
            case "no-store", "no-cache", "private": forbidsStoring = true
            case "max-age", "s-maxage":
                if parts.count == 2, let seconds = Int64(String(parts[1]).trimmingSpaces().filter { $0 != "\"" }) {
                    maxAge = min(maxAge ?? seconds, seconds)
                }
            default: break
            }
        }
    }
}

/// A finder's pending store: the digest of the request the collector files the response under.
struct ResponseCacheTicket: Sendable {
    let cache: ResponseCache
    let digest: SHA256Digest
}
