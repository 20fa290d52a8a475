import SluiceGateway
import SluiceModel

/// URI templates and URL mappings: parsing the resource's pattern (first line) and matching a request target
/// (the rest) against it, with dot-segment removal and query decoding on the way.
enum URITemplateTarget {
    static let target = FuzzTarget(
        name: "uri-template",
        summary: "uri-template / url-mapping parse, then match a request target",
        run: run
    )

    private static func run(_ bytes: [UInt8]) {
        let (pattern, rest) = FuzzTarget.split(bytes)
        let target = RequestTarget(uri: String(decoding: rest, as: UTF8.self))
        _ = target.stays(within: "/api/1.0.0")
        var dispatchers: [ResourceDispatcher] = []
        if let template = try? URITemplate(pattern) {
            _ = template.description
            dispatchers.append(.uriTemplate(template))
        }
        if let mapping = try? URLMapping(pattern) {
            _ = mapping.description
            dispatchers.append(.urlMapping(mapping))
        }
        let query = target.queryParameters
        for (index, dispatcher) in dispatchers.enumerated() {
            let matcher = ResourceMatcher(resource: APIResource(methods: ["GET"], dispatcher: dispatcher), index: index)
            _ = matcher.match(subPath: target.path, query: query)
        }
    }
}
