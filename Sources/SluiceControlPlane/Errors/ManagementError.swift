import Foundation
public import HTTPTypes

/// An error of the publisher, devportal or admin REST API, answered as WSO2's `ErrorDTO`:
/// `{"code": 404, "message": "Not Found", "description": "...", "moreInfo": "", "error": []}`.
public struct ManagementError: Error, Sendable, CustomStringConvertible {
    /// One problem of a request with several (`ErrorListItemDTO`).
    public struct Item: Sendable, Hashable, Codable {
        public var code: String
        public var message: String
        public var description: String

        /// Creates an item.
        public init(code: String, message: String, description: String) {
            self.code = code
            self.message = message
            self.description = description
        }
    }

    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A short title (`Bad Request`, `Forbidden`).
    public var message: String
    /// A sentence a client can act on; never holds a secret.
    public var detail: String
    /// Field-level problems of a bad request.
    public var items: [Item]
    /// Seconds a throttled client should wait (`Retry-After` of a 429).
    public var retryAfter: Int?
    /// WSO2's own error code (`900351`...), answered as `code` instead of the HTTP status where WSO2 has one.
    public var wso2Code: Int?

    /// Creates an error.
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - message: A short title; the status' reason phrase when nil.
    ///   - detail: What is wrong.
    ///   - items: Field-level problems.
    public init(_ status: HTTPResponse.Status, message: String? = nil, detail: String, items: [Item] = []) {
        self.status = status
        self.message = message ?? status.reasonPhrase
        self.detail = detail
        self.items = items
    }

    /// 400 with a description.
    public static func badRequest(_ detail: String, items: [Item] = []) -> ManagementError {
        ManagementError(.badRequest, detail: detail, items: items)
    }

    /// 401 for missing or invalid credentials.
    public static func unauthenticated(_ detail: String) -> ManagementError {
        ManagementError(.unauthorized, detail: detail)
    }

    /// 403 for a caller without the scope or the ownership a resource needs.
    public static func forbidden(_ detail: String) -> ManagementError {
        ManagementError(.forbidden, detail: detail)
    }

    /// 404 naming what was not found.
    public static func notFound(_ detail: String) -> ManagementError {
        ManagementError(.notFound, detail: detail)
    }

    /// 409 for a conflict with existing state.
    public static func conflict(_ detail: String) -> ManagementError {
        ManagementError(.conflict, detail: detail)
    }

    /// 429 with `Retry-After`, for a client over its request or sign-in budget.
    public static func tooManyRequests(_ detail: String, retryAfter: Int) -> ManagementError {
        var error = ManagementError(.tooManyRequests, detail: detail)
        error.retryAfter = retryAfter
        return error
    }

    /// An error WSO2 answers with its own error code.
    public static func wso2(_ status: HTTPResponse.Status, code: Int, _ message: String, _ detail: String)
        -> ManagementError
    {
        var error = ManagementError(status, message: message, detail: detail)
        error.wso2Code = code
        return error
    }

    /// 500 with a description that reveals nothing internal.
    public static func internalError(_ detail: String = "The server could not complete the request") -> ManagementError
    {
        ManagementError(.internalServerError, detail: detail)
    }

    public var description: String { "\(status.code) \(message): \(detail)" }
}
