import Crypto
import NIOHTTP1

/// The digest a `<cache>` finder files a request under: SHA-256 over the method, path, query, the chosen request
/// headers and the body, each part length-prefixed so no two requests share a digest by running parts together.
struct RequestDigest: Sendable {
    /// Lower-cased names of the only headers digested; nil for every header not in `excluded`.
    let included: Set<String>?
    /// Lower-cased names of headers left out.
    let excluded: Set<String>

    /// Headers that belong to one connection or one hop, not to what is asked, so they never split the cache:
    /// connection management, the body's framing (the body itself is digested) and per-request trace ids.
    static let perHopHeaders: Set<String> = [
        "connection", "keep-alive", "content-length", "transfer-encoding", "te", "upgrade", "proxy-connection",
        "x-request-id", "activityid", "traceparent", "tracestate",
    ]

    init(included: [String]?, excluded: [String]) {
        self.included = included.map { Set($0.map { $0.lowercased() }) }
        self.excluded = Set(excluded.map { $0.lowercased() }).union(Self.perHopHeaders)
    }

    /// The digest of the current request; nil when its body has not been read (it streams), so it cannot be told
    /// apart from another request with a different body.
    func digest(of context: MessageContext) -> SHA256Digest? {
        var hasher = SHA256()
        Self.add(context.method, to: &hasher)
        Self.add(context.requestPath, to: &hasher)
        Self.add(context.query ?? "", to: &hasher)
        var chosen: [(name: String, value: String)] = []
        for header in context.headers {
            let name = header.name.lowercased()
            if let included, !included.contains(name) { continue }
            if included == nil, excluded.contains(name) { continue }
            chosen.append((name, header.value))
        }
        // Header order carries no meaning between names; values of one name keep their order.
        let ordered = chosen.enumerated().sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }
        Self.add(String(ordered.count), to: &hasher)
        for (_, header) in ordered {
            Self.add(header.name, to: &hasher)
            Self.add(header.value, to: &hasher)
        }
        switch context.body {
        case .streaming:
            return nil
        case .empty:
            Self.addLength(0, to: &hasher)
        case .buffered(let buffer):
            Self.addLength(buffer.readableBytes, to: &hasher)
            buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        }
        return hasher.finalize()
    }

    private static func add(_ text: String, to hasher: inout SHA256) {
        var text = text
        text.withUTF8 { bytes in
            addLength(bytes.count, to: &hasher)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        }
    }

    private static func addLength(_ length: Int, to hasher: inout SHA256) {
        withUnsafeBytes(of: UInt64(length).littleEndian) { hasher.update(bufferPointer: $0) }
    }
}
