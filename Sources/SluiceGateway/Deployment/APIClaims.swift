import SluiceModel

/// Who serves what among deployed APIs: each API name and version (Synapse's `name:vversion` identity), and each
/// route (effective context with the `hostname`/`port` filter), belongs to one artifact file.
///
/// A second file claiming an identity or a route someone holds is refused, never allowed to shadow the first:
/// an artifact with another API's context would take over its requests without that API's handlers. The
/// deployment lets the APIs already serving claim first; `sluice validate` claims in file order.
package struct APIClaims {
    /// Where an API is reached: the same context (empty segments ignored, as the router ignores them) with the
    /// same host and port filters is the same route.
    struct Route: Hashable {
        var context: String
        var hostname: String?
        var port: Int?

        init(_ api: SynapseAPI) {
            context = "/" + api.effectiveContext.split(separator: "/").joined(separator: "/")
            hostname = api.hostname?.lowercased()
            port = api.port
        }
    }

    private struct Owner {
        var file: String
        var identity: String
    }

    private var identities: [String: Owner] = [:]
    private var routes: [Route: Owner] = [:]

    package init() {}

    /// Synapse's identity of an API: `name:vversion`, or the name alone for an unversioned API (WSO2 deploys a
    /// default-version API as a second artifact with the same name and no version).
    package static func identity(of api: SynapseAPI) -> String {
        api.version.map { api.name + ":v" + $0 } ?? api.name
    }

    /// Claims `api`'s identity and route for `file`.
    /// - Returns: nil when claimed (or already held by this file), else why not, naming the file that holds it.
    package mutating func claim(_ api: SynapseAPI, file: String) -> String? {
        let identity = Self.identity(of: api)
        let route = Route(api)
        if let owner = identities[identity], owner.file != file {
            return "an API named '\(identity)' is already deployed from \(owner.file); this file is not deployed"
        }
        if let owner = routes[route], owner.file != file || owner.identity != identity {
            return "the context \(Self.describe(route)) of API '\(identity)' is already served by API '\(owner.identity)' "
                + "from \(owner.file); this API is not deployed"
        }
        identities[identity] = Owner(file: file, identity: identity)
        routes[route] = Owner(file: file, identity: identity)
        return nil
    }

    /// True when `api` could be claimed for `file` now.
    package func isFree(_ api: SynapseAPI, file: String) -> Bool {
        var copy = self
        return copy.claim(api, file: file) == nil
    }

    private static func describe(_ route: Route) -> String {
        var text = route.context
        if let hostname = route.hostname { text += " (hostname \(hostname))" }
        if let port = route.port { text += " (port \(port))" }
        return text
    }
}
