import HTTPTypes
import Hummingbird
import Tracing

/// A server span per management request (REST APIs, OAuth2 endpoints, portals), continuing the caller's
/// `traceparent`; added before every other middleware, so no controller needs to know about it. The query is not
/// recorded: it may carry credentials.
struct ManagementTracingMiddleware<Context: RequestContext>: RouterMiddleware {
    let tracer: any Tracer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var parent = ServiceContext.topLevel
        tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let method = request.method.rawValue
        let span = tracer.startSpan(method, context: parent, ofKind: .server)
        if span.isRecording {
            span.updateAttributes { attributes in
                attributes["http.request.method"] = method
                attributes["url.path"] = request.uri.path
                attributes["user_agent.original"] = request.headers[.userAgent]
                attributes["client.address"] = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress
            }
        }
        let outcome: Result<Response, any Error>
        do {
            outcome = .success(try await ServiceContext.withValue(span.context) { try await next(request, context) })
        } catch {
            outcome = .failure(error)
        }
        let status: Int
        switch outcome {
        case .success(let response): status = Int(response.status.code)
        case .failure(let error): status = Int((error as? any HTTPResponseError)?.status.code ?? 500)
        }
        if span.isRecording {
            if let route = context.endpointPath {
                span.operationName = "\(method) \(route)"
                span.attributes["http.route"] = route
            }
            span.attributes["http.response.status_code"] = status
            if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
        }
        span.end()
        return try outcome.get()
    }
}

/// Reads W3C trace context from a request's header fields.
private struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}
