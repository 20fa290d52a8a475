import Instrumentation
import NIOHTTP1

/// Reads W3C trace context (`traceparent`, `tracestate`) from a request's headers.
struct HTTPHeadersExtractor: Extractor {
    func extract(key: String, from carrier: HTTPHeaders) -> String? {
        carrier.first(name: key)
    }
}

/// Writes trace context into a backend request's headers, replacing what the client sent (the backend's parent is
/// the gateway's span, which continues the client's trace).
struct HTTPHeadersInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout HTTPHeaders) {
        carrier.replaceOrAdd(name: key, value: value)
    }
}
