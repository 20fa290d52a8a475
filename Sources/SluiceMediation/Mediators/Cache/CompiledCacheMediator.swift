import NIOCore
import SluiceModel

/// `<cache>` finder ready to run. On a request: a fresh cached response for the request's digest becomes the
/// message and is answered (after `<onCacheHit>`, when given); otherwise the digest waits on the message and the
/// request goes on. On a response (a finder placed in the out flow acts as Synapse's does): stores it like the
/// collector.
///
/// The cache lives as long as the deployment that compiled it; a redeploy starts empty.
struct CompiledCacheFinder: CompiledMediator {
    let cache: ResponseCache
    let digester: RequestDigest
    /// The methods cached; nil for every method.
    let methods: Set<String>?
    let includesAgeHeader: Bool
    /// Run on a hit, ending with the answer: `<onCacheHit>` then `CompiledCacheHitAnswer`.
    let onHit: [any CompiledMediator]

    /// The digest classes Synapse and WSO2 ship; Sluice digests every one of them the same way (see docs).
    static let knownHashGenerators: Set<String> = ["DOMHASHGenerator", "REQUESTHASHGenerator", "HttpRequestHashGenerator"]

    init(_ node: CacheMediator, compilation: inout MediatorCompilation) throws(MediationCompileError) {
        let settings = node.protocolSettings
        for name in [node.hashGenerator, settings?.hashGenerator].compactMap({ $0 }) {
            let simpleName = String(name.split(separator: ".").last ?? "")
            guard Self.knownHashGenerators.contains(simpleName) else {
                throw compilation.error(.unsupported("<cache> hash generator '\(name)': only Synapse's and WSO2's own digests"))
            }
        }
        if let type = node.implementation?.type, type != "memory" {
            throw compilation.error(.unsupported("<cache> implementation type '\(type)': only memory"))
        }
        let methods = settings?.methods ?? ["*"]
        self.methods = methods.contains("*") ? nil : Set(methods)
        let codes = settings?.responseCodes.flatMap { $0.isEmpty || $0 == ".*" ? nil : $0 }
        let rules = ResponseCache.Rules(
            timeout: Int64(node.timeout ?? CacheMediator.defaultTimeout) * 1000,
            maxMessageSize: node.maxMessageSize.flatMap { $0 > 0 ? $0 : nil },
            responseCodes: try codes.map { text throws(MediationCompileError) in try compilation.regex(text) },
            honoursCacheControl: settings?.enableCacheControl ?? false
        )
        cache = ResponseCache(maxSize: node.implementation?.maxSize ?? CacheMediator.defaultMaxSize, rules: rules)
        digester = RequestDigest(included: settings?.headersToInclude, excluded: settings?.headersToExclude ?? [])
        includesAgeHeader = settings?.includeAgeHeader ?? false
        var onHit: [any CompiledMediator] = []
        switch node.onCacheHit {
        case nil: break
        case .sequence(let key)?:
            compilation.referSequence(key)
            onHit = [CompiledSequenceMediator(key: key)]
        case .inline(let mediators)?:
            onHit = try compilation.compile(mediators)
        }
        self.onHit = onHit + [CompiledCacheHitAnswer()]
    }

    var readsBody: Bool { true }
    var references: [MediationReference] { onHit.allReferences }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        if context.isResponse {
            CompiledCacheCollector.collect(&context)
            return .proceed
        }
        if let methods, !methods.contains(context.method) { return .proceed }
        guard let digest = digester.digest(of: context) else { return .proceed }
        let now = context.clock.millisecondsSinceEpoch()
        guard let entry = cache.response(for: digest, now: now) else {
            context.pendingResponseCache = ResponseCacheTicket(cache: cache, digest: digest)
            return .proceed
        }
        var headers = entry.headers
        if includesAgeHeader { headers.replaceOrAdd(name: "Age", value: String(max(0, now - entry.storedAt) / 1000)) }
        context.pendingResponseCache = nil
        context.receiveResponse(status: entry.status, headers: headers, body: .buffered(entry.body))
        return .enter(onHit)
    }
}

/// `<cache collector="true"/>` ready to run: on a response, stores it for the request the finder digested.
struct CompiledCacheCollector: CompiledMediator {
    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        if context.isResponse { Self.collect(&context) }
        return .proceed
    }

    /// Stores the current response under the digest the finder left on the message, once.
    static func collect(_ context: inout MessageContext) {
        guard let ticket = context.pendingResponseCache else { return }
        context.pendingResponseCache = nil
        let body: ByteBuffer
        switch context.body {
        case .buffered(let buffer): body = buffer
        case .empty: body = ByteBuffer()
        case .streaming: return
        }
        ticket.cache.store(
            status: context.statusCode ?? 200,
            headers: context.headers,
            body: body,
            for: ticket.digest,
            now: context.clock.millisecondsSinceEpoch()
        )
    }
}

/// Ends a cache hit: Synapse stops the flow after `<onCacheHit>`; Sluice answers with the message then (Synapse
/// would leave the client waiting when `<onCacheHit>` does not answer itself).
struct CompiledCacheHitAnswer: CompiledMediator {
    var readsBody: Bool { false }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        .stop(.respond)
    }
}
