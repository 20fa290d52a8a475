public import SluiceModel

/// Dispatches requests to deployed APIs and their resources as Synapse does, in time proportional to the
/// number of path segments, not to the number of APIs.
///
/// Contexts (after version substitution, see `SynapseAPI.effectiveContext`) are indexed in a trie of path
/// segments; the longest context that prefixes the request path wins (Synapse sorts its APIs by context length),
/// then the `hostname`/`port` filter picks among APIs sharing it (APIs with a filter before those without); an
/// API whose filter turns the request away leaves it to a shorter context. Within the API, `ResourceSelector`
/// picks the resource in Synapse's dispatcher order.
public struct APIRouter: Sendable {
    /// What the router made of a request.
    public enum Result: Sendable {
        /// A resource took the request.
        case matched(RouteMatch)
        /// An API took the request but none of its resources has the path: WSO2 answers 403 with code 900906
        /// (`_resource_mismatch_handler_`).
        case noMatchingResource(apiIndex: Int, context: String)
        /// A resource of the API has the path but not the method: 405 (`_method_not_allowed_handler_`), with the
        /// methods the path takes.
        case methodNotAllowed(apiIndex: Int, context: String, allowed: [String])
        /// A resource has the path and the method but its `content-type`, `user-agent` or `protocol` filter turned
        /// the request away, and no other resource accepts it: Synapse answers 400 without a body.
        case badRequest(apiIndex: Int, context: String)
        /// No API takes the request: the `main` sequence answers.
        case noAPI
        /// APIs with the request's context exist but none takes this listener's transport (`transports="https"`
        /// reached over plain HTTP): the `main` sequence answers with `TRANSPORT_DENIED` set, as in Synapse.
        case transportDenied
    }

    struct Entry: Sendable {
        let apiIndex: Int
        let context: String
        let hostname: String?
        let port: Int?
        /// The API is limited to the other transport: it only tells the main sequence why nothing matched.
        let deniesTransport: Bool
        let resources: ResourceSelector
    }

    final class Node: Sendable {
        let children: [Substring: Node]
        let entries: [Entry]

        init(children: [Substring: Node], entries: [Entry]) {
            self.children = children
            self.entries = entries
        }
    }

    private let root: Node
    /// True when this router serves an HTTPS listener (`transports`, `protocol` and the default port follow it).
    private let isSecure: Bool

    /// Indexes `apis`; a match reports the position of its API in this array.
    /// - Parameters:
    ///   - apis: The deployed APIs.
    ///   - isSecure: Whether the listener this router serves speaks HTTPS.
    public init(apis: [SynapseAPI], isSecure: Bool = false) {
        self.isSecure = isSecure
        var builder = NodeBuilder()
        for (apiIndex, api) in apis.enumerated() {
            // An API limited to the other transport is not reachable through this listener.
            let transports = api.transports ?? []
            let context = api.effectiveContext
            let entry = Entry(
                apiIndex: apiIndex,
                context: context,
                hostname: api.hostname?.lowercased(),
                port: api.port,
                deniesTransport: !transports.isEmpty && !transports.contains(isSecure ? .https : .http),
                resources: ResourceSelector(resources: api.resources)
            )
            builder.insert(entry, segments: context.split(separator: "/")[...])
        }
        root = builder.build()
    }

    /// Routes one request.
    /// - Parameters:
    ///   - method: The upper-case HTTP method.
    ///   - target: The request path and query.
    ///   - host: The `Host` header's name part, lower-cased (nil when absent: an API with a `hostname` or `port`
    ///     filter then does not match, as in Synapse).
    ///   - port: The port written in `Host`; nil when `Host` has none, which means the scheme's default port (80,
    ///     or 443 on HTTPS), as Synapse reads it.
    ///   - hasBody: Whether the request has a body (a `content-type` filter looks only at requests with one).
    ///   - contentType: The request's `Content-Type`, for resources with a `content-type` filter.
    ///   - userAgent: The request's `User-Agent`, for resources with a `user-agent` filter.
    public func route(
        method: String,
        target: RequestTarget,
        host: String?,
        port: Int?,
        hasBody: Bool = true,
        contentType: String? = nil,
        userAgent: String? = nil
    ) -> Result {
        // The nodes along the path that hold APIs, deepest last, in stack memory: the root and at most one per
        // segment (a path of n slashes has at most n + 1 segments).
        let segments = target.path.utf8.reduce(2) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 }
        return withUnsafeTemporaryAllocation(of: (Node, Substring.Index).self, capacity: segments) { candidates in
            var count = 0
            if !root.entries.isEmpty {
                candidates.initializeElement(at: 0, to: (root, target.path.startIndex))
                count = 1
            }
            var node = root
            var remaining = target.path[...]
            while true {
                remaining = remaining.drop(while: { $0 == "/" })
                guard !remaining.isEmpty else { break }
                let end = remaining.firstIndex(of: "/") ?? remaining.endIndex
                guard let child = node.children[remaining[..<end]] else { break }
                node = child
                remaining = remaining[end...]
                if !node.entries.isEmpty {
                    candidates.initializeElement(at: count, to: (node, end))
                    count += 1
                }
            }
            defer { _ = candidates[..<count].deinitialize() }
            return match(
                candidates[..<count],
                method: method,
                target: target,
                host: host,
                port: port,
                hasBody: hasBody,
                contentType: contentType,
                userAgent: userAgent
            )
        }
    }

    /// The deepest candidate whose API takes the request, as Synapse tries APIs from the most specific context.
    private func match(
        _ candidates: Slice<UnsafeMutableBufferPointer<(Node, Substring.Index)>>,
        method: String,
        target: RequestTarget,
        host: String?,
        port: Int?,
        hasBody: Bool,
        contentType: String?,
        userAgent: String?
    ) -> Result {
        let request = ResourceRequest(
            method: method,
            isSecure: isSecure,
            hasBody: hasBody,
            contentType: contentType,
            userAgent: userAgent
        )
        let effectivePort = port ?? (isSecure ? 443 : 80)
        // Synapse's API.canProcess checks the transport last; a refusal for it alone reaches the main sequence.
        var deniedForTransport = false
        for (node, consumedUpTo) in candidates.reversed() {
            guard let entry = Self.select(node.entries, host: host, port: effectivePort, deniedForTransport: false) else {
                deniedForTransport =
                    deniedForTransport
                    || Self.select(node.entries, host: host, port: effectivePort, deniedForTransport: true) != nil
                continue
            }
            let subPath = target.path[consumedUpTo...]
            let subRequest = Self.subRequest(target, from: consumedUpTo)
            switch entry.resources.select(subRequest: subRequest, request: request) {
            case .matched(let resourceIndex, let uriVariables, let preflightOnly):
                return .matched(
                    RouteMatch(
                        apiIndex: entry.apiIndex,
                        resourceIndex: resourceIndex,
                        context: entry.context,
                        subPath: subPath.isEmpty ? "/" : String(subPath),
                        uriVariables: uriVariables,
                        isPreflightOnly: preflightOnly
                    )
                )
            case .methodNotAllowed(let allowed):
                return .methodNotAllowed(apiIndex: entry.apiIndex, context: entry.context, allowed: allowed)
            case .badRequest:
                return .badRequest(apiIndex: entry.apiIndex, context: entry.context)
            case .noMatchingResource:
                return .noMatchingResource(apiIndex: entry.apiIndex, context: entry.context)
            }
        }
        return deniedForTransport ? .transportDenied : .noAPI
    }

    /// Synapse's `REST_SUB_REQUEST_PATH`: the path below the context and the query. A request to the bare context
    /// reads as `/` (Synapse matches a bare `?query` against the templates, where no template can take it).
    private static func subRequest(_ target: RequestTarget, from index: Substring.Index) -> Substring {
        if index < target.path.endIndex { return target.pathAndQuery[index...] }
        guard let query = target.query else { return "/" }
        return Substring("/?" + query)
    }

    /// The most specific entry the host and port filters accept, among those that take (or, with
    /// `deniedForTransport`, refuse) this listener's transport.
    private static func select(_ entries: [Entry], host: String?, port: Int?, deniedForTransport: Bool) -> Entry? {
        // Entries are stored filtered-first, so the first acceptable one is the most specific.
        entries.first { entry in
            if entry.deniesTransport != deniedForTransport { return false }
            // Without a Host header Synapse cannot check the filter, and the API does not take the request.
            if entry.hostname != nil || entry.port != nil, host == nil { return false }
            if let hostname = entry.hostname, hostname != host { return false }
            if let wanted = entry.port, wanted != port { return false }
            return true
        }
    }

    private struct NodeBuilder {
        var children: [Substring: NodeBuilder] = [:]
        var entries: [Entry] = []

        mutating func insert(_ entry: Entry, segments: ArraySlice<Substring>) {
            guard let first = segments.first else {
                entries.append(entry)
                return
            }
            children[first, default: NodeBuilder()].insert(entry, segments: segments.dropFirst())
        }

        func build() -> Node {
            let ordered = entries.enumerated().sorted { lhs, rhs in
                let lhsFilters = (lhs.element.hostname != nil ? 2 : 0) + (lhs.element.port != nil ? 1 : 0)
                let rhsFilters = (rhs.element.hostname != nil ? 2 : 0) + (rhs.element.port != nil ? 1 : 0)
                return lhsFilters != rhsFilters ? lhsFilters > rhsFilters : lhs.offset < rhs.offset
            }.map(\.element)
            return Node(children: children.mapValues { $0.build() }, entries: ordered)
        }
    }
}

/// A request matched to a resource of a deployed API.
public struct RouteMatch: Sendable {
    /// Position of the API in the array the router was built from.
    public let apiIndex: Int
    /// Position of the resource in the API's document order.
    public let resourceIndex: Int
    /// The effective context that matched (`REST_API_CONTEXT`).
    public let context: String
    /// The path below the context, starting with `/` (`REST_SUB_REQUEST_PATH` without the query).
    public let subPath: String
    /// `uri-template` bindings in template order, names without the `uri.var.` prefix, values decoded.
    public let uriVariables: [(String, String)]
    /// An `OPTIONS` request to a resource that does not list `OPTIONS`: a handler (the CORS handler) may answer
    /// it; when none does, the gateway answers 200 with `Allow`, as Synapse does, instead of running the resource.
    public var isPreflightOnly = false
}
