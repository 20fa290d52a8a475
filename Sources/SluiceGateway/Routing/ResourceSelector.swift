import SluiceModel

/// Picks the resource of one API that takes a request, in Synapse's order (`API.process` with
/// `URLMappingBasedDispatcher`, `URITemplateBasedDispatcher`, `DefaultDispatcher`):
///
/// 1. Only resources whose filters accept the request take part (`Resource.canProcess`: scheme, method with
///    `OPTIONS` always welcome, `content-type`, `user-agent`); for `OPTIONS`, resources listing only `OPTIONS` are
///    tried first.
/// 2. `url-mapping`s first: the first exact mapping, else the longest `/prefix/*`, else the first `*.ext`.
/// 3. Then `uri-template`s in document order, the first that matches.
/// 4. Then the resource without a dispatcher.
///
/// When nothing takes the request, the resources are matched again without their filters: a resource whose path
/// matches but whose methods do not allow the request gives 405; a path match turned away only by the filters
/// gives 400 when no resource accepted the request at all (as Synapse answers); otherwise the API has no
/// resource for the request.
struct ResourceSelector: Sendable {
    /// What the selector made of a request.
    enum Outcome {
        /// `resourceIndex` takes the request; `preflightOnly` for an `OPTIONS` request to a resource that does
        /// not list `OPTIONS` (Synapse answers it with `Allow` instead of mediating it).
        case matched(resourceIndex: Int, uriVariables: [(String, String)], preflightOnly: Bool)
        /// Another method would be taken: the methods the matching resources list.
        case methodNotAllowed(allowed: [String])
        /// A resource has the path and the method, but its other filters turned the request away.
        case badRequest
        /// No resource has the path.
        case noMatchingResource
    }

    /// The resources in document order.
    let resources: [ResourceMatcher]
    /// Resource positions in document order, and in the order Synapse tries them for an `OPTIONS` request.
    private let documentOrder: [Int]
    private let optionsOrder: [Int]

    init(resources: [APIResource]) {
        self.resources = resources.enumerated().map { ResourceMatcher(resource: $0.element, index: $0.offset) }
        let matchers = self.resources
        self.documentOrder = Array(matchers.indices)
        self.optionsOrder =
            matchers.indices.filter { matchers[$0].isOptionsOnly } + matchers.indices.filter { !matchers[$0].isOptionsOnly }
    }

    /// Selects the resource for a request.
    /// - Parameters:
    ///   - subRequest: The request path below the API context, starting with `/`, and its query.
    ///   - request: What the resource filters look at.
    func select(subRequest: Substring, request: ResourceRequest) -> Outcome {
        let path = subRequest.utf8.firstIndex(of: UInt8(ascii: "?")).map { subRequest[..<$0] } ?? subRequest
        let order = request.method == "OPTIONS" ? optionsOrder : documentOrder
        if let (index, variables) = dispatch(path: path, subRequest: subRequest, order: order, where: { $0.accepts(request) }) {
            let resource = resources[index]
            let preflightOnly = request.method == "OPTIONS" && !resource.methods.contains("OPTIONS")
            return .matched(resourceIndex: index, uriVariables: variables, preflightOnly: preflightOnly)
        }
        // The unhappy path: match again without the filters to tell 405 and 400 from a missing resource.
        guard let (index, _) = dispatch(path: path, subRequest: subRequest, order: documentOrder, where: { _ in true })
        else {
            return .noMatchingResource
        }
        if !resources[index].allows(method: request.method) {
            return .methodNotAllowed(allowed: allowedMethods(path: path, subRequest: subRequest))
        }
        return resources.contains { $0.accepts(request) } ? .noMatchingResource : .badRequest
    }

    /// The methods listed by every resource whose path matches, in document order, for `Allow`.
    private func allowedMethods(path: Substring, subRequest: Substring) -> [String] {
        var methods: [String] = []
        for resource in resources where Self.pathMatches(resource, path: path, subRequest: subRequest) {
            for method in resource.declaredMethods where !methods.contains(method) { methods.append(method) }
        }
        return methods
    }

    private static func pathMatches(_ resource: ResourceMatcher, path: Substring, subRequest: Substring) -> Bool {
        switch resource.dispatcher {
        case .none: true
        case .uriTemplate: resource.matchTemplate(subRequest) != nil
        case .urlMapping: resource.isExactMatch(path: path) || resource.prefixLength(path: path) != nil
            || resource.isExtensionMatch(path: path)
        }
    }

    /// Synapse's three dispatchers over the resources `include` lets take part, tried in `order`. Each resource
    /// has one kind of dispatcher, so each one's filters are evaluated at most once.
    private func dispatch(
        path: Substring,
        subRequest: Substring,
        order: [Int],
        where include: (ResourceMatcher) -> Bool
    ) -> (Int, [(String, String)])? {
        for index in order where resources[index].isExactMatch(path: path) && include(resources[index]) {
            return (index, [])
        }
        var best: Int?
        var bestLength = -1
        for index in order {
            // Strictly longer wins, so among equal prefixes the first in order stays.
            if let length = resources[index].prefixLength(path: path), length > bestLength, include(resources[index]) {
                best = index
                bestLength = length
            }
        }
        if let best { return (best, []) }
        for index in order where resources[index].isExtensionMatch(path: path) && include(resources[index]) {
            return (index, [])
        }
        for index in order where resources[index].template != nil && include(resources[index]) {
            if let variables = resources[index].matchTemplate(subRequest) { return (index, variables) }
        }
        for index in order where resources[index].hasNoDispatcher && include(resources[index]) {
            return (index, [])
        }
        return nil
    }
}
