import Foundation
package import SluiceModel
import SluiceStorage

/// Deny policies (WSO2's blocking conditions): the logic behind the admin `/throttling/deny-policies` and
/// `/throttling/deny-policy/{conditionId}` operations. Every change is stored, then handed to this node's gateway
/// through ``APIManagerConfiguration/onBlockingConditionsChange`` (cluster gateways hear of it through the change
/// log), so it applies from the next call.
package struct DenyPolicyService: Sendable {
    let services: APIManagerServices

    /// Creates the service.
    package init(services: APIManagerServices) {
        self.services = services
    }

    /// WSO2's scopes of the reads (any one of them).
    package static let viewScopes = ["apim:admin", "apim:bl_view"]
    /// WSO2's scopes of the writes (any one of them).
    package static let manageScopes = ["apim:admin", "apim:bl_manage"]

    /// The conditions, filtered by WSO2's query (`conditionType:API & conditionValue:/test/1.0.0`).
    /// - Throws: ``ManagementError`` 403, 400 for a query term that is neither.
    package func conditions(matching query: String?, by principal: Principal) async throws -> [BlockingCondition] {
        try principal.requireAny(Self.viewScopes)
        var kind: String?
        var value: String?
        for term in (query ?? "").split(separator: "&") {
            let parts = term.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else {
                throw ManagementError.badRequest("The query takes conditionType:... and conditionValue:..., joined by &")
            }
            switch parts[0] {
            case "conditionType": kind = parts[1].uppercased()
            case "conditionValue": value = parts[1]
            default: throw ManagementError.badRequest("The query takes conditionType and conditionValue, not \(parts[0])")
            }
        }
        return try await storage.blockingConditions().filter { condition in
            (kind == nil || condition.kind.rawValue == kind)
                && (value == nil || condition.value == value
                    || (condition.kind == .api && condition.value == value.map(Self.trimmedContext)))
        }
    }

    /// One condition.
    /// - Throws: ``ManagementError`` 403, 404.
    package func condition(_ id: String, by principal: Principal) async throws -> BlockingCondition {
        try principal.requireAny(Self.viewScopes)
        guard let condition = try await storage.blockingConditions().first(where: { $0.id == id }) else {
            throw ManagementError.notFound("Deny policy \(id) not found")
        }
        return condition
    }

    /// Stores a new condition after checking it names something real: an API context (with or without its version)
    /// of an existing API, `owner:name` of an existing application, an existing user, valid addresses.
    /// - Throws: ``ManagementError`` 403, 400 naming what is wrong, 409 for a condition that exists.
    package func create(_ condition: BlockingCondition, by principal: Principal) async throws -> BlockingCondition {
        try principal.requireAny(Self.manageScopes)
        var condition = condition
        condition.id = UUID().uuidString.lowercased()
        try await check(&condition)
        do {
            try await storage.createBlockingCondition(condition)
        } catch let error as StorageError where error.code == .duplicate {
            throw ManagementError.conflict("A deny policy \(condition.kind.rawValue) \(condition.value) exists already")
        }
        try await announce()
        return condition
    }

    /// Enables or disables a condition.
    /// - Throws: ``ManagementError`` 403, 404.
    package func setEnabled(_ enabled: Bool, id: String, by principal: Principal) async throws -> BlockingCondition {
        try principal.requireAny(Self.manageScopes)
        guard let condition = try await storage.setBlockingCondition(id: id, enabled: enabled) else {
            throw ManagementError.notFound("Deny policy \(id) not found")
        }
        try await announce()
        return condition
    }

    /// Deletes a condition.
    /// - Throws: ``ManagementError`` 403, 404.
    package func delete(_ id: String, by principal: Principal) async throws {
        try principal.requireAny(Self.manageScopes)
        guard try await storage.deleteBlockingCondition(id: id) else {
            throw ManagementError.notFound("Deny policy \(id) not found")
        }
        try await announce()
    }

    private var storage: any BlockingConditionRepository { services.storage }

    /// Hands every condition to this node's gateway.
    private func announce() async throws {
        guard let change = services.configuration.onBlockingConditionsChange else { return }
        change(try await storage.blockingConditions())
    }

    private func check(_ condition: inout BlockingCondition) async throws {
        let value = condition.value.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty, value.count <= 512 else {
            throw ManagementError.badRequest("conditionValue must be 1 to 512 characters")
        }
        condition.value = value
        switch condition.kind {
        case .api:
            let trimmed = Self.trimmedContext(value)
            let known = try await services.storage.apis().contains { api in
                let context = Self.trimmedContext(api.context)
                return context == trimmed || context + "/" + api.version == trimmed
            }
            guard known else { throw ManagementError.badRequest("No API has the context \(value)") }
            condition.value = trimmed
        case .application:
            let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, try await services.storage.application(owner: parts[0], name: parts[1]) != nil else {
                throw ManagementError.badRequest("No application \(value): give owner:name of an existing application")
            }
        case .user:
            guard try await services.storage.user(named: value) != nil else {
                throw ManagementError.badRequest("No user \(value)")
            }
        case .ip:
            guard IPAddressBlock.parseAddress(value) != nil else {
                throw ManagementError.badRequest("fixedIp \(value) is not an IPv4 or IPv6 address")
            }
        case .ipRange:
            guard let first = IPAddressBlock.parseAddress(value), let endingIP = condition.endingIP,
                let last = IPAddressBlock.parseAddress(endingIP)
            else { throw ManagementError.badRequest("startingIp and endingIp must be IPv4 or IPv6 addresses") }
            guard first.count == last.count, !last.lexicographicallyPrecedes(first) else {
                throw ManagementError.badRequest("startingIp and endingIp must be of one family, the first not after the last")
            }
        }
        if condition.kind != .ipRange { condition.endingIP = nil }
        if ![.ip, .ipRange].contains(condition.kind) { condition.invert = false }
    }

    private static func trimmedContext(_ context: String) -> String {
        let slashed = context.hasPrefix("/") ? context : "/" + context
        return slashed.count > 1 && slashed.hasSuffix("/") ? String(slashed.dropLast()) : slashed
    }
}
