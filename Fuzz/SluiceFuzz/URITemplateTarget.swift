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
        let target = RequestTarget(uri: "/api/1.0.0" + String(decoding: rest, as: UTF8.self))
        _ = target.stays(within: "/api/1.0.0")
        _ = target.queryParameters
        var resources: [APIResource] = []
        if let template = try? URITemplate(pattern) {
            _ = template.description
            _ = URITemplateMatcher(template).match(target.pathAndQuery)
            resources.append(APIResource(methods: ["GET"], dispatcher: .uriTemplate(template)))
        }
        if let mapping = try? URLMapping(pattern) {
            _ = mapping.description
            resources.append(APIResource(methods: ["GET", "POST"], dispatcher: .urlMapping(mapping)))
        }
        guard !resources.isEmpty else { return }
        // The whole dispatch: context, then the resources in Synapse's order, methods, 405 and 400 answers.
        let router = APIRouter(apis: [SynapseAPI(name: "api", context: "/api/1.0.0", resources: resources)])
        for method in ["GET", "POST", "OPTIONS"] {
            _ = router.route(method: method, target: target, host: "localhost", port: nil)
        }
    }
}
