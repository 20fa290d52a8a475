import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import SluiceControlPlane
import SluiceModel

/// The API page's OpenAPI downloads and try-it console. The console posts to the portal (same origin, so the
/// portal's content security policy stays as it is), and the portal sends the call to the gateway with a
/// short-lived token of the chosen application (``TryItService``), then shows status, headers and body.
extension StorePortal {
    /// The most of a response body the console shows.
    static let tryItBodyLimit = 1 << 20

    var tryIt: TryItService { TryItService(services: portal.services) }

    func addTryItRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/store/apis/:apiId/openapi.json") { request, context in
            try await definition(request, context.parameters.path("apiId"), yaml: false)
        }
        router.get("/store/apis/:apiId/openapi.yaml") { request, context in
            try await definition(request, context.parameters.path("apiId"), yaml: true)
        }
        router.post("/store/apis/:apiId/try-it") { request, context in
            try await send(request, context.parameters.path("apiId"))
        }
    }

    private func definition(_ request: Request, _ apiID: String, yaml: Bool) async throws -> Response {
        let (_, principal) = try await viewer(request)
        let name = "openapi." + (yaml ? "yaml" : "json")
        let body =
            yaml
            ? ByteBuffer(string: try await tryIt.openAPIYAML(apiID: apiID, principal: principal))
            : ByteBuffer(data: try await catalog.openAPIDocument(apiID: apiID, principal: principal))
        var headers = PortalRenderer.securityHeaders
        headers[.contentType] = yaml ? "application/yaml; charset=utf-8" : "application/json"
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    private func send(_ request: Request, _ apiID: String) async throws -> Response {
        let (session, principal) = try await subscriber(request)
        let form = try await portal.form(request, session: session, area: .store)
        let filled = TryItService.Form(
            resource: form["resource"] ?? "",
            path: form["path"] ?? "",
            query: form["query"] ?? "",
            headers: form["headers"] ?? "",
            body: form["body"] ?? "",
            applicationID: form["applicationId"] ?? "",
            keyType: KeyType(rawValue: (form["keyType"] ?? "PRODUCTION").uppercased()) ?? .production
        )
        var result: [String: Any] = [:]
        do {
            guard let gateway = portal.configuration.gatewayBaseURL else {
                throw ManagementError.badRequest("This node has no gateway to send the call to")
            }
            let call = try await tryIt.call(apiID: apiID, form: filled, gatewayBaseURL: gateway, principal: principal)
            result = await Self.execute(call)
        } catch let error as ManagementError where error.status == .badRequest {
            result = ["error": error.detail]
        }
        return try await apiPage(request, apiID, tryIt: (filled, result))
    }

    /// Sends the call and describes the answer for the page: status, headers, body (JSON pretty printed).
    private static func execute(_ call: TryItService.Call) async -> [String: Any] {
        var request = HTTPClientRequest(url: call.url)
        request.method = HTTPMethod(rawValue: call.method)
        for header in call.headers { request.headers.add(name: header.name, value: header.value) }
        if let body = call.body { request.body = .bytes(ByteBuffer(data: body)) }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            var body = ByteBuffer()
            var truncated = false
            for try await var chunk in response.body {
                let room = tryItBodyLimit - body.readableBytes
                if chunk.readableBytes > room {
                    truncated = true
                    if room > 0, let slice = chunk.readSlice(length: room) { body.writeImmutableBuffer(slice) }
                    break
                }
                body.writeBuffer(&chunk)
            }
            return [
                "status": "\(response.status.code) \(response.status.reasonPhrase)",
                "isSuccess": (200..<300).contains(Int(response.status.code)),
                "headers": response.headers.map { ["name": $0.name, "value": $0.value] },
                "body": describe(Data(buffer: body)),
                "truncated": truncated,
                "request": "\(call.method) \(call.url)",
            ]
        } catch {
            return ["error": "The gateway could not be reached: \(error)", "request": "\(call.method) \(call.url)"]
        }
    }

    /// A body as text: JSON pretty printed, other UTF-8 as it is, anything else by its size.
    static func describe(_ data: Data) -> String {
        if data.isEmpty { return "(empty)" }
        if let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
            let pretty = try? JSONSerialization.data(
                withJSONObject: object,
                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]
            )
        {
            return String(decoding: pretty, as: UTF8.self)
        }
        return String(data: data, encoding: .utf8) ?? "(\(data.count) bytes, not text)"
    }
}
