import Foundation
import SluiceModel

/// WSO2's admin `GET /transaction-count`: how many API calls the gateways counted in a time range, from the usage
/// rollups (per minute: a minute counts in the range holding its start).
package struct TransactionCountService: Sendable {
    let services: APIManagerServices

    /// Creates the service.
    package init(services: APIManagerServices) {
        self.services = services
    }

    /// The calls from `startTime` to `endTime` (exclusive): each epoch milliseconds or ISO 8601.
    /// - Throws: ``ManagementError`` 403 without `apim:admin`, 400 for a time that is neither or a range ending
    ///   before it starts.
    package func count(startTime: String, endTime: String, by principal: Principal) async throws -> Int {
        try principal.require("apim:admin")
        let from = try Self.milliseconds(startTime, name: "startTime")
        let to = try Self.milliseconds(endTime, name: "endTime")
        guard from <= to else { throw ManagementError.badRequest("endTime must not be before startTime") }
        return try await services.storage.usageEventCount(from: from, to: to)
    }

    private static func milliseconds(_ text: String, name: String) throws(ManagementError) -> Int64 {
        if let millis = Int64(text), millis >= 0 { return millis }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970 * 1_000) }
        throw ManagementError.badRequest("\(name) must be epoch milliseconds or an ISO 8601 time, not \(text)")
    }
}
