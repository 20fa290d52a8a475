import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel

/// WSO2's admin deny policies: `GET|POST /throttling/deny-policies` (list with `query`, create) and
/// `GET|DELETE|PATCH /throttling/deny-policy/{conditionId}` (read, delete, enable or disable). The rules are
/// ``DenyPolicyService``'s; the gateway refuses matching calls with 403 and fault 900805.
struct AdminDenyPoliciesController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    private var service: DenyPolicyService { DenyPolicyService(services: services) }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let prefix = AdminController.prefix + "/throttling"
        routes.get(prefix + "/deny-policies") { request, _ in try await list(request) }
        routes.post(prefix + "/deny-policies") { request, _ in try await create(request) }
        routes.get(prefix + "/deny-policy/:conditionId") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            let condition = try await service.condition(context.parameters.path("conditionId"), by: principal)
            return JSONResponses.response(BlockingConditionDTO(condition))
        }
        routes.delete(prefix + "/deny-policy/:conditionId") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            try await service.delete(context.parameters.path("conditionId"), by: principal)
            return JSONResponses.empty()
        }
        routes.on(.patch, prefix + "/deny-policy/:conditionId") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            try principal.requireAny(DenyPolicyService.manageScopes)
            let dto = try await services.decoder.decode(BlockingConditionStatusDTO.self, from: request)
            let condition = try await service.setEnabled(
                dto.conditionStatus, id: context.parameters.path("conditionId"), by: principal
            )
            return JSONResponses.response(BlockingConditionDTO(condition))
        }
    }

    private func list(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        let conditions = try await service.conditions(matching: request.query("query"), by: principal)
        return JSONResponses.response(ListDTO(conditions.map(BlockingConditionDTO.init)))
    }

    private func create(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(DenyPolicyService.manageScopes)
        let dto = try await services.decoder.decode(
            BlockingConditionDTO.self, from: request, readOnlyFields: BlockingConditionDTO.readOnlyFields
        )
        let condition = try await service.create(try dto.condition(), by: principal)
        return JSONResponses.response(
            BlockingConditionDTO(condition),
            status: .created,
            headers: [.location: "\(AdminController.prefix)/throttling/deny-policy/\(condition.id)"]
        )
    }
}

/// WSO2's `BlockingCondition`: `conditionValue` is a string for API (context), APPLICATION (`owner:name`) and USER,
/// and an object for IP (`fixedIp`, `invert`) and IPRANGE (`startingIp`, `endingIp`, `invert`).
struct BlockingConditionDTO: Codable, Sendable {
    static let readOnlyFields: Set<String> = ["conditionId"]

    /// The value in either of WSO2's forms.
    struct Value: Codable, Sendable {
        var text: String?
        var fixedIp: String?
        var startingIp: String?
        var endingIp: String?
        var invert: Bool?

        private enum CodingKeys: String, CodingKey { case fixedIp, startingIp, endingIp, invert }

        init(text: String? = nil, fixedIp: String? = nil, startingIp: String? = nil, endingIp: String? = nil, invert: Bool? = nil) {
            self.text = text
            self.fixedIp = fixedIp
            self.startingIp = startingIp
            self.endingIp = endingIp
            self.invert = invert
        }

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                self.init(text: text)
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                fixedIp: try container.decodeIfPresent(String.self, forKey: .fixedIp),
                startingIp: try container.decodeIfPresent(String.self, forKey: .startingIp),
                endingIp: try container.decodeIfPresent(String.self, forKey: .endingIp),
                invert: try container.decodeIfPresent(Bool.self, forKey: .invert)
            )
        }

        func encode(to encoder: any Encoder) throws {
            if let text {
                var container = encoder.singleValueContainer()
                try container.encode(text)
                return
            }
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(fixedIp, forKey: .fixedIp)
            try container.encodeIfPresent(startingIp, forKey: .startingIp)
            try container.encodeIfPresent(endingIp, forKey: .endingIp)
            try container.encodeIfPresent(invert, forKey: .invert)
        }
    }

    var conditionId: String?
    var conditionType: String
    var conditionValue: Value
    var conditionStatus: Bool?

    init(_ condition: BlockingCondition) {
        conditionId = condition.id
        conditionType = condition.kind.rawValue
        switch condition.kind {
        case .ip: conditionValue = Value(fixedIp: condition.value, invert: condition.invert)
        case .ipRange:
            conditionValue = Value(startingIp: condition.value, endingIp: condition.endingIP, invert: condition.invert)
        case .api, .application, .user: conditionValue = Value(text: condition.value)
        }
        conditionStatus = condition.isEnabled
    }

    /// The condition this body describes (its id is the server's to give).
    /// - Throws: ``ManagementError`` 400 for an unknown type or a value of the wrong form.
    func condition() throws(ManagementError) -> BlockingCondition {
        guard let kind = BlockingCondition.Kind(rawValue: conditionType.uppercased()) else {
            throw ManagementError.badRequest("conditionType must be API, APPLICATION, IP, IPRANGE or USER")
        }
        let value: String?
        switch kind {
        case .api, .application, .user: value = conditionValue.text
        case .ip: value = conditionValue.fixedIp
        case .ipRange: value = conditionValue.startingIp
        }
        guard let value else {
            throw ManagementError.badRequest(
                kind == .ip ? "An IP condition's value is {\"fixedIp\": ..., \"invert\": ...}"
                    : kind == .ipRange ? "An IPRANGE condition's value is {\"startingIp\": ..., \"endingIp\": ..., \"invert\": ...}"
                    : "A \(kind.rawValue) condition's value is a string"
            )
        }
        return BlockingCondition(
            id: "",
            kind: kind,
            value: value,
            endingIP: conditionValue.endingIp,
            invert: conditionValue.invert ?? false,
            isEnabled: conditionStatus ?? true
        )
    }
}

/// WSO2's `BlockingConditionStatus`.
struct BlockingConditionStatusDTO: Codable, Sendable {
    var conditionId: String?
    var conditionStatus: Bool
}
