public import SluiceModel

/// Dispatches requests to deployed APIs and their resources as Synapse does, in time proportional to the
/// number of path segments, not to the number of APIs.
///
/// Contexts (after version substitution, see `SynapseAPI.effectiveContext`) are indexed in a trie of path
/// segments; the longest context that prefixes the request path wins, then the `hostname`/`port` filter picks
/// among APIs sharing it (APIs with a filter before those without). Within the API the resources are tried most
/// specific first (see `ResourceMatcher`).
public struct APIRouter: Sendable {
    /// What the router made of a request.
    public enum Result: Sendable {
        /// A resource took the request.
        case matched(RouteMatch)
        /// An API took the request but none of its resources matches: WSO2 answers 403 with code 900906.
        case noMatchingResource(apiIndex: Int, context: String)
        /// No API takes the request: the `main` sequence answers.
        case noAPI
    }

    struct Entry: Sendable {
        let apiIndex: Int
        let context: String
        let hostname: String?
        let port: Int?
        let resources: [ResourceMatcher]
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

    /// Indexes `apis`; a match reports the position of its API in this array.
    public init(apis: [SynapseAPI]) {
        var builder = NodeBuilder()
        for (apiIndex, api) in apis.enumerated() {
            // This listener speaks plain HTTP: an API limited to https is not reachable through it.
            if let transports = api.transports, !transports.isEmpty, !transports.contains(.http) { continue }
            let context = api.effectiveContext
            let resources = api.resources.enumerated()
                .map { ResourceMatcher(resource: $0.element, index: $0.offset) }
                .sorted { $0.isMoreSpecific(than: $1) }
            let entry = Entry(
                apiIndex: apiIndex,
                context: context,
                hostname: api.hostname?.lowercased(),
                port: api.port,
                resources: resources
            )
            builder.insert(entry, segments: context.split(separator: "/")[...])
        }
        root = builder.build()
    }

    /// Routes one request.
    /// - Parameters:
    ///   - method: The upper-case HTTP method.
    ///   - target: The request path and query.
    ///   - host: The `Host` header's name part, lower-cased (nil when absent).
    ///   - port: The port the request arrived on (from `Host`, else the listening port).
    ///   - contentType: The request's `Content-Type`, for resources with a `content-type` filter.
    ///   - userAgent: The request's `User-Agent`, for resources with a `user-agent` filter.
    public func route(
        method: String,
        target: RequestTarget,
        host: String?,
        port: Int?,
        contentType: String? = nil,
        userAgent: String? = nil
    ) -> Result {
        var candidates: [(Node, Substring.Index)] = []
        // One allocation for the usual path depth, instead of growing element by element.
        candidates.reserveCapacity(8)
        candidates.append((root, target.path.startIndex))
        var node = root
        var remaining = target.path[...]
        while true {
            remaining = remaining.drop(while: { $0 == "/" })
            guard !remaining.isEmpty else { break }
            let end = remaining.firstIndex(of: "/") ?? remaining.endIndex
            guard let child = node.children[remaining[..<end]] else { break }
            node = child
            remaining = remaining[end...]
            candidates.append((node, end))
        }
        var query: [(name: String, value: String)]?
        for (node, consumedUpTo) in candidates.reversed() where !node.entries.isEmpty {
            guard let entry = Self.select(node.entries, host: host, port: port) else { continue }
            let subPath = target.path[consumedUpTo...]
            let parameters = query ?? target.queryParameters
            query = parameters
            // A CORS preflight may name a path whose resources do not list OPTIONS: WSO2's CORS handler answers
            // it for any resource path of the API, so the most specific such resource is kept as a fallback.
            var preflight: RouteMatch?
            for resource in entry.resources where resource.accepts(contentType: contentType, userAgent: userAgent) {
                let allowed = resource.allows(method: method)
                guard allowed || (method == "OPTIONS" && preflight == nil) else { continue }
                if let bindings = resource.match(subPath: subPath.isEmpty ? "/" : subPath, query: parameters) {
                    let match = RouteMatch(
                        apiIndex: entry.apiIndex,
                        resourceIndex: resource.index,
                        context: entry.context,
                        subPath: subPath.isEmpty ? "/" : String(subPath),
                        uriVariables: bindings,
                        queryParameters: parameters,
                        isPreflightOnly: !allowed
                    )
                    if allowed { return .matched(match) }
                    preflight = match
                }
            }
            if let preflight { return .matched(preflight) }
            return .noMatchingResource(apiIndex: entry.apiIndex, context: entry.context)
        }
        return .noAPI
    }

    private static func select(_ entries: [Entry], host: String?, port: Int?) -> Entry? {
        // Entries are stored filtered-first, so the first acceptable one is the most specific.
        entries.first { entry in
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
    /// Every query parameter, decoded (`query.param.*`).
    public let queryParameters: [(name: String, value: String)]
    /// An `OPTIONS` request that matched the resource's path but not its methods: only a handler (the CORS
    /// handler) may answer it; when none does, the gateway answers 900906 instead of running the resource.
    public var isPreflightOnly = false
}
