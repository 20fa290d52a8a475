public import SluiceModel

/// One resource of a deployed API, ready to match request sub-paths, with its rank among its siblings.
///
/// Resources of an API are tried most specific first: exact `url-mapping`, then `uri-template`s with more literal
/// text, then prefix mappings by length, then extension mappings, then catch-alls (`/*` or no dispatcher).
public struct ResourceMatcher: Sendable {
    /// Index of the resource in the API's document order.
    public let index: Int
    /// Upper-case methods; empty means any.
    public let methods: Set<String>
    public let dispatcher: ResourceDispatcher
    /// `content-type`: the request's `Content-Type` must start with it.
    let contentType: String?
    /// `user-agent`: a regex the request's `User-Agent` must match entirely.
    let userAgent: String?
    /// `protocol="https"`: never matches on this plain-HTTP listener.
    let requiresHTTPS: Bool
    /// Sort key: lower class first, then higher weight first, then document order.
    let specificityClass: Int
    let specificityWeight: Int

    /// Prepares `resource`, the `index`-th resource of its API.
    public init(resource: APIResource, index: Int) {
        self.index = index
        self.methods = Set(resource.methods.map { $0.uppercased() })
        self.dispatcher = resource.dispatcher
        self.contentType = resource.contentType?.lowercased()
        self.userAgent = resource.userAgent
        self.requiresHTTPS = resource.protocolRestriction?.lowercased() == "https"
        switch resource.dispatcher {
        case .urlMapping(.exact(let path)):
            specificityClass = 0
            specificityWeight = path.count
        case .uriTemplate(let template):
            let literalLength = template.pathParts.reduce(0) { total, part in
                if case .literal(let text) = part { return total + text.count }
                return total
            }
            let hasWildcard = template.pathParts.contains(.wildcard)
            // Literal text decides; among equal literals, fewer variables and no wildcard are more specific.
            specificityClass = hasWildcard ? 2 : 1
            specificityWeight = literalLength * 64 - template.variableNames.count
        case .urlMapping(.prefix(let prefix)) where !prefix.isEmpty:
            specificityClass = 3
            specificityWeight = prefix.count
        case .urlMapping(.pathExtension(let ext)):
            specificityClass = 4
            specificityWeight = ext.count
        case .urlMapping(.prefix), .none:
            specificityClass = 5
            specificityWeight = 0
        }
    }

    /// Whether this resource ranks before `other`.
    func isMoreSpecific(than other: ResourceMatcher) -> Bool {
        if specificityClass != other.specificityClass { return specificityClass < other.specificityClass }
        if specificityWeight != other.specificityWeight { return specificityWeight > other.specificityWeight }
        return index < other.index
    }

    /// Whether `method` may use this resource.
    public func allows(method: String) -> Bool { methods.isEmpty || methods.contains(method) }

    /// Whether the resource's `protocol`, `content-type` and `user-agent` filters let the request through.
    func accepts(contentType requestContentType: String?, userAgent requestUserAgent: String?) -> Bool {
        if requiresHTTPS { return false }
        if let contentType {
            guard let requestContentType, requestContentType.lowercased().hasPrefix(contentType) else { return false }
        }
        if let userAgent {
            // Regex is not Sendable, so it is compiled per request; only resources with this rare filter pay.
            // A pattern that does not compile is compared literally.
            guard let requestUserAgent else { return false }
            if let regex = try? Regex(userAgent) {
                guard (try? regex.wholeMatch(in: requestUserAgent)) != nil else { return false }
            } else if requestUserAgent != userAgent {
                return false
            }
        }
        return true
    }

    /// Matches a sub-path (the request path below the API context, starting with `/`).
    /// - Returns: the `uri.var.*` bindings (names without the prefix), or nil when the path does not match.
    public func match(subPath: Substring, query: [(name: String, value: String)]) -> [(String, String)]? {
        let path = Self.trimmingTrailingSlash(subPath)
        switch dispatcher {
        case .none:
            return []
        case .urlMapping(.exact(let exact)):
            return path == Self.trimmingTrailingSlash(exact[...]) ? [] : nil
        case .urlMapping(.prefix(let prefix)):
            if prefix.isEmpty { return [] }
            guard path.hasPrefix(prefix) else { return nil }
            let rest = path.dropFirst(prefix.count)
            return rest.isEmpty || rest.first == "/" ? [] : nil
        case .urlMapping(.pathExtension(let ext)):
            let last = path.split(separator: "/").last ?? ""
            return last.hasSuffix("." + ext) ? [] : nil
        case .uriTemplate(let template):
            return Self.match(template: template, path: path, query: query)
        }
    }

    private static func trimmingTrailingSlash(_ path: Substring) -> Substring {
        path.count > 1 && path.hasSuffix("/") ? path.dropLast() : (path.isEmpty ? "/" : path)
    }

    private static func match(
        template: URITemplate,
        path: Substring,
        query: [(name: String, value: String)]
    ) -> [(String, String)]? {
        var bindings: [(String, String)] = []
        var rest = path
        let parts = template.pathParts
        var partIndex = 0
        while partIndex < parts.count {
            switch parts[partIndex] {
            case .literal(let literal):
                let literal = partIndex == parts.count - 1 ? trimmingTrailingSlash(literal[...]) : literal[...]
                guard rest.hasPrefix(literal) else { return nil }
                rest = rest.dropFirst(literal.count)
            case .variable(let name):
                // A variable takes text up to the next literal (never crossing a `/`), or the rest of the segment.
                var end = rest.firstIndex(of: "/") ?? rest.endIndex
                if partIndex + 1 < parts.count, case .literal(let next) = parts[partIndex + 1],
                    let nextCharacter = next.first, nextCharacter != "/",
                    let stop = rest[..<end].firstIndex(of: nextCharacter)
                {
                    end = stop
                }
                let value = rest[..<end]
                guard !value.isEmpty else { return nil }
                bindings.append((name, RequestTarget.percentDecoded(value)))
                rest = rest[end...]
            case .wildcard:
                guard rest.isEmpty || rest.first == "/" else { return nil }
                rest = rest.prefix(0)
            }
            partIndex += 1
        }
        guard rest.isEmpty || rest == "/" else { return nil }
        for part in template.queryParts {
            guard let value = query.first(where: { $0.name == part.parameter })?.value else { return nil }
            if let variable = part.variable {
                bindings.append((variable, value))
            } else if let literal = part.literal, literal != value {
                return nil
            }
        }
        return bindings
    }
}
