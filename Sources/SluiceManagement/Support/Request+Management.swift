import Foundation
import Hummingbird
import SluiceControlPlane

extension Request {
    /// A query parameter (Hummingbird has percent-decoded it); nil when absent or empty.
    func query(_ name: String) -> String? {
        guard let value = uri.queryParameters[Substring(name)], !value.isEmpty else { return nil }
        return String(value)
    }

    /// A required query parameter.
    /// - Throws: ``ManagementError`` 400 naming it.
    func requiredQuery(_ name: String) throws(ManagementError) -> String {
        guard let value = query(name) else {
            throw ManagementError.badRequest("The query parameter \(name) is required")
        }
        return value
    }

    /// A boolean query parameter (`true` or `false`); absent means `defaultValue`.
    /// - Throws: ``ManagementError`` 400 for any other value.
    func booleanQuery(_ name: String, default defaultValue: Bool) throws(ManagementError) -> Bool {
        switch query(name)?.lowercased() {
        case nil: defaultValue
        case "true": true
        case "false": false
        case let other?: throw ManagementError.badRequest("\(name) must be true or false, not \(other)")
        }
    }

    /// `limit` and `offset` (WSO2's defaults: 25 and 0).
    /// - Throws: ``ManagementError`` 400 for values that are not non-negative integers.
    func pagination() throws(ManagementError) -> Pagination {
        var page = Pagination(offset: 0, limit: 25)
        if let text = query("limit") {
            guard let limit = Int(text), limit >= 1 else {
                throw ManagementError.badRequest("limit must be a positive integer")
            }
            page.limit = min(limit, 1_000)
        }
        if let text = query("offset") {
            guard let offset = Int(text), offset >= 0 else {
                throw ManagementError.badRequest("offset must be a non-negative integer")
            }
            page.offset = offset
        }
        return page
    }
}

extension Parameters {
    /// A path parameter the route declares.
    func path(_ name: String) -> String {
        get(name) ?? ""
    }
}

/// A page of a list: `offset` items skipped, at most `limit` returned.
struct Pagination: Sendable, Hashable {
    var offset: Int
    var limit: Int

    /// The items of this page.
    func page<T>(_ items: [T]) -> [T] {
        guard offset < items.count else { return [] }
        return Array(items[offset..<min(items.count, offset + limit)])
    }
}
