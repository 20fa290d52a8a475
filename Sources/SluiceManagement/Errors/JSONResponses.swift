import Foundation
import HTTPTypes
import Hummingbird

/// JSON bodies of the management REST API.
enum JSONResponses {
    /// Dates as ISO 8601, keys sorted so answers are stable.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// `value` as a JSON response.
    static func response(
        _ value: some Encodable,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:]
    ) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        // Our DTOs hold strings, numbers, booleans and dates only; encoding them cannot fail.
        let data = (try? encoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An empty response (`200 OK` after a delete, for instance).
    static func empty(status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status)
    }
}
