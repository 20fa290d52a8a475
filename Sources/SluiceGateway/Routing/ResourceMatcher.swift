public import SluiceModel

/// One resource of a deployed API, ready to match requests: its `methods`, `protocol`, `content-type` and
/// `user-agent` filters (Synapse's `Resource.canProcess`) and its dispatcher (`URLMappingHelper`,
/// `URITemplate`, or none).
public struct ResourceMatcher: Sendable {
    /// Index of the resource in the API's document order.
    public let index: Int
    /// Upper-case methods; empty means any.
    public let methods: Set<String>
    /// The methods in document order, for `Allow`.
    let declaredMethods: [String]
    public let dispatcher: ResourceDispatcher
    let template: URITemplateMatcher?
    /// `.json` for `url-mapping="*.json"`.
    private let extensionSuffix: String?
    /// `content-type`: the media type a request with a body must have (lower-cased, parameters dropped).
    private let contentType: String?
    /// `user-agent`: a regex the request's `User-Agent` must match entirely.
    private let userAgent: String?
    /// `protocol`: `http` or `https`, nil for both.
    private let requiredScheme: String?

    /// Prepares `resource`, the `index`-th resource of its API.
    public init(resource: APIResource, index: Int) {
        self.index = index
        self.declaredMethods = resource.methods.map { $0.uppercased() }
        self.methods = Set(declaredMethods)
        self.dispatcher = resource.dispatcher
        if case .uriTemplate(let template) = resource.dispatcher {
            self.template = URITemplateMatcher(template)
        } else {
            self.template = nil
        }
        if case .urlMapping(.pathExtension(let ext)) = resource.dispatcher {
            self.extensionSuffix = "." + ext
        } else {
            self.extensionSuffix = nil
        }
        self.contentType = resource.contentType.map(Self.mediaType)
        self.userAgent = resource.userAgent
        self.requiredScheme = resource.protocolRestriction?.lowercased()
    }

    /// Whether `method` may use this resource (its `methods`, or every method when it lists none).
    public func allows(method: String) -> Bool { methods.isEmpty || methods.contains(method) }

    /// True for a resource with neither `url-mapping` nor `uri-template` (Synapse's default resource).
    var hasNoDispatcher: Bool {
        if case .none = dispatcher { return true }
        return false
    }

    /// True when the resource lists only `OPTIONS` (Synapse tries those first for an `OPTIONS` request).
    var isOptionsOnly: Bool { methods.count == 1 && methods.contains("OPTIONS") }

    /// Synapse's `Resource.canProcess`: the scheme, then the method (`OPTIONS` is always welcome), then the
    /// `content-type` (only for a request with a body) and `user-agent` filters.
    func accepts(_ request: ResourceRequest) -> Bool {
        if let requiredScheme, requiredScheme != (request.isSecure ? "https" : "http") { return false }
        if request.method == "OPTIONS" { return true }
        guard allows(method: request.method) else { return false }
        if let contentType, request.hasBody {
            // Synapse compares the whole header; a charset parameter should not turn a request away.
            guard let requestType = request.contentType, Self.mediaType(requestType) == contentType else { return false }
        }
        if let userAgent {
            // Regex is not Sendable, so it is compiled per request; only resources with this rare filter pay.
            // A pattern that does not compile is compared literally.
            guard let requestUserAgent = request.userAgent else { return false }
            if let regex = try? Regex(userAgent) {
                guard (try? regex.wholeMatch(in: requestUserAgent)) != nil else { return false }
            } else if requestUserAgent != userAgent {
                return false
            }
        }
        return true
    }

    // MARK: - URL mappings (Synapse's URLMappingHelper)

    /// `url-mapping="/menu"`: the path (query dropped, trailing slashes trimmed) is exactly the mapping.
    func isExactMatch(path: Substring) -> Bool {
        guard case .urlMapping(.exact(let exact)) = dispatcher else { return false }
        var path = path
        if path != "/" {
            while path.last == "/" { path = path.dropLast() }
        }
        return path == exact
    }

    /// `url-mapping="/items/*"`: how many mapping segments prefix the path, or nil when they do not. `/*` matches
    /// with length 0, so any real prefix beats it (Synapse gives it 1 and lets document order decide).
    func prefixLength(path: Substring) -> Int? {
        guard case .urlMapping(.prefix(let prefix)) = dispatcher else { return nil }
        guard !prefix.isEmpty else { return 0 }
        var mapping = prefix.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)[...]
        while mapping.count > 1, mapping.last?.isEmpty == true { mapping = mapping.dropLast() }
        var segments = path.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .makeIterator()
        for expected in mapping {
            guard let segment = segments.next(), segment.elementsEqual(expected) else { return nil }
        }
        return mapping.count
    }

    /// `url-mapping="*.json"`: the path (query dropped) ends in `.json`.
    func isExtensionMatch(path: Substring) -> Bool {
        guard let extensionSuffix else { return false }
        return path.utf8.reversed().starts(with: extensionSuffix.utf8.reversed())
    }

    /// Matches the resource's `uri-template` against the sub-path and query.
    func matchTemplate(_ subRequest: Substring) -> [(String, String)]? {
        template?.match(subRequest)
    }

    /// The media type of a `Content-Type` value: lower-cased, parameters and spaces dropped.
    private static func mediaType(_ value: String) -> String {
        let type = value.split(separator: ";", maxSplits: 1).first ?? ""
        return String(type.filter { $0 != " " && $0 != "\t" }).lowercased()
    }
}

/// What a resource's filters look at in a request.
struct ResourceRequest {
    var method: String
    var isSecure: Bool
    var hasBody: Bool
    var contentType: String?
    var userAgent: String?
}
