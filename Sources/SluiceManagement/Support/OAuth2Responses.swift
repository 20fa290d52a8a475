import Foundation
import HTTPTypes
import Hummingbird
import SluiceKeyManager

/// JSON responses of the OAuth2 endpoints: never cached (RFC 6749 §5.1).
enum OAuth2Responses {
    static let realm = "Sluice"

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Our Encodable types hold strings, numbers and booleans only; encoding cannot fail.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [
                .contentType: "application/json;charset=UTF-8", .cacheControl: "no-store",
                HTTPField.Name("Pragma")!: "no-cache",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    static func empty() -> Response {
        Response(status: .ok, headers: [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"])
    }

    /// An RFC 6749 §5.2 error; `invalid_client` carries a Basic challenge.
    static func error(_ error: OAuth2Error, status: HTTPResponse.Status? = nil) -> Response {
        var response = json(
            ["error": error.code.rawValue, "error_description": error.description],
            status: status ?? HTTPResponse.Status(code: error.httpStatus)
        )
        if error.code == .invalidClient {
            response.headers[.wwwAuthenticate] = "Basic realm=\"\(realm)\""
        }
        return response
    }
}
