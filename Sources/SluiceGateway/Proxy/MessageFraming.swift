import NIOHTTP1

/// The framing headers (`Content-Length`, `Transfer-Encoding`) of the heads the gateway writes, set the way NIO's
/// HTTP/1 encoders set them when left to it (RFC 9112 §6), but only where the headers are built anyway.
///
/// NIO's encoders run with `automaticallySetFramingHeaders` off: when on, they take every head as `var` and pass
/// its headers `inout`, which copies the head's storage and the header array on every request even when nothing
/// changes. Here a header is removed or added only when it must be, so the usual message (a length, no
/// transfer coding) is left as it is, with no copy.
enum MessageFraming {
    /// Frames a response to a request of `requestMethod`: no body for 1xx, 204, 304 and CONNECT (neither header),
    /// else `Content-Length` if known, else chunked on HTTP/1.1. Returns whether it changed a header.
    @discardableResult
    static func frameResponse(
        _ headers: inout HTTPHeaders,
        status: HTTPResponseStatus,
        version: HTTPVersion,
        requestMethod: HTTPMethod
    ) -> Bool {
        let hasBody = status.mayHaveResponseBody && requestMethod != .CONNECT
        return frame(&headers, hasBody: hasBody ? .yes : .no, version: version)
    }

    /// Frames a request: TRACE carries no body; POST, PUT and PATCH without a length are chunked on HTTP/1.1; other
    /// methods keep what they have.
    static func frameRequest(_ headers: inout HTTPHeaders, method: HTTPMethod, version: HTTPVersion) {
        let hasBody: HasBody =
            switch method {
            case .TRACE: .no
            case .POST, .PUT, .PATCH: .yes
            default: .unlikely
            }
        frame(&headers, hasBody: hasBody, version: version)
    }

    enum HasBody {
        case no, yes, unlikely
    }

    @discardableResult
    private static func frame(_ headers: inout HTTPHeaders, hasBody: HasBody, version: HTTPVersion) -> Bool {
        let hasLength = headers.contains(name: "content-length")
        let hasCoding = headers.contains(name: "transfer-encoding")
        switch hasBody {
        case .no:
            if hasLength { headers.remove(name: "content-length") }
            if hasCoding { headers.remove(name: "transfer-encoding") }
            return hasLength || hasCoding
        case .yes, .unlikely:
            if hasLength {
                if hasCoding { headers.remove(name: "transfer-encoding") }
                return hasCoding
            } else if hasBody == .yes, version.major == 1, version.minor >= 1,
                !(hasCoding && headers[canonicalForm: "transfer-encoding"] == ["chunked"])
            {
                headers.replaceOrAdd(name: "transfer-encoding", value: "chunked")
                return true
            }
            return false
        }
    }
}
