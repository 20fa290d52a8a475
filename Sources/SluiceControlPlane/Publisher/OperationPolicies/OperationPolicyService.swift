import Foundation
package import SluiceArtifacts
import SluiceStorage

/// WSO2 v4's operation policies: Synapse mediation with attributes (a specification and a `.j2` definition),
/// common to every API (`/operation-policies`, with the built-in ones of ``BuiltInOperationPolicies``) or
/// specific to one (`/apis/{apiId}/operation-policies`). An operation names policies in its request, response
/// and fault flows (`operations[].operationPolicies`); when the API is stored, each is looked up, its parameters
/// checked against the attributes and the definition rendered into the mediators the gateway artifact carries for
/// that resource (a later change of the policy reaches the API at its next save, as WSO2 copies a common policy
/// into the API that uses it).
package struct OperationPolicyService: Sendable {
    /// A stored or built-in policy.
    package struct Policy: Sendable, Hashable {
        package var id: String
        /// The API of an API-specific policy; nil for a common one.
        package var apiID: String?
        package var spec: OperationPolicySpec
        /// The Synapse definition (`.j2`).
        package var definition: String
        package var isBuiltIn = false

        /// `name_version`, the file names of WSO2's policy archives.
        package var fileStem: String { "\(spec.name)_\(spec.version)" }
    }

    /// The stored form of a policy.
    private struct StoredPolicy: Codable {
        var spec: OperationPolicySpec
        var definition: String
    }

    let services: APIManagerServices

    package init(services: APIManagerServices) {
        self.services = services
    }

    // MARK: - Reading

    /// The common policies (built-in first, then stored, by name), filtered by WSO2's `query`
    /// (`name:addHeader version:v1`, a bare word is a name; contained, ignoring case).
    package func commonPolicies(query: String? = nil) async throws -> [Policy] {
        let stored = try await services.storage.objects(.operationPolicy, owner: .common).compactMap(Self.decode)
        let all = BuiltInOperationPolicies.all + stored
        guard let query, !query.isEmpty else { return all }
        var conditions: [(field: String, value: String)] = []
        for term in query.split(whereSeparator: { $0 == " " || $0 == "&" }) {
            let parts = term.split(separator: ":", maxSplits: 1).map(String.init)
            let (field, value) = parts.count == 2 ? (parts[0].lowercased(), parts[1]) : ("name", parts[0])
            conditions.append((field, value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))))
        }
        return all.filter { policy in
            conditions.allSatisfy { condition in
                let text = condition.field == "version" ? policy.spec.version : policy.spec.name
                return text.range(of: condition.value, options: .caseInsensitive) != nil
            }
        }
    }

    /// The policies specific to an API.
    /// - Throws: ``ManagementError`` 404 for an unknown API.
    package func apiPolicies(apiID: String) async throws -> [Policy] {
        _ = try await PublisherSupport.api(apiID, services)
        return try await services.storage.objects(.operationPolicy, owner: .api(apiID)).compactMap(Self.decode)
    }

    /// A common policy by id.
    /// - Throws: ``ManagementError`` 404.
    package func commonPolicy(id: String) async throws -> Policy {
        if let builtIn = BuiltInOperationPolicies.all.first(where: { $0.id == id }) { return builtIn }
        guard let record = try await services.storage.object(.operationPolicy, id: id), record.apiID == nil,
            let policy = Self.decode(record)
        else { throw Self.notFound(id) }
        return policy
    }

    /// A policy of an API by id: its own, or a common one (WSO2 answers both under the API).
    /// - Throws: ``ManagementError`` 404.
    package func apiPolicy(apiID: String, id: String) async throws -> Policy {
        _ = try await PublisherSupport.api(apiID, services)
        if let record = try await services.storage.object(.operationPolicy, id: id), record.apiID == apiID,
            let policy = Self.decode(record)
        {
            return policy
        }
        return try await commonPolicy(id: id)
    }

    /// A common policy by name and version (for the export).
    /// - Throws: ``ManagementError`` 404.
    package func commonPolicy(name: String, version: String) async throws -> Policy {
        guard let policy = try await commonPolicies().first(where: { $0.spec.name == name && $0.spec.version == version })
        else { throw ManagementError.notFound("No common operation policy \(name) \(version)") }
        return policy
    }

    // MARK: - Writing

    /// Adds a common policy (`apiID` nil) or one specific to an API from its specification and Synapse definition.
    /// - Throws: ``ManagementError`` 400 (a specification or definition Sluice cannot run), 404 (no such API), 409
    ///   (a policy of that name and version exists for the owner, or is built in).
    package func add(spec: OperationPolicySpec, definition: String, apiID: String?) async throws -> Policy {
        try await services.publisherGate.run {
            if let apiID { _ = try await PublisherSupport.api(apiID, services) }
            try Self.checkDefinition(definition, spec: spec)
            if apiID == nil, BuiltInOperationPolicies.all.contains(where: { $0.spec.name == spec.name && $0.spec.version == spec.version }) {
                throw ManagementError.conflict("The operation policy \(spec.name) \(spec.version) is built in")
            }
            let policy = Policy(id: UUID().uuidString.lowercased(), apiID: apiID, spec: spec, definition: definition)
            do {
                try await services.storage.createObject(
                    PublisherObjectRecord(
                        id: policy.id, kind: .operationPolicy, apiID: apiID, name: "\(spec.name):\(spec.version)",
                        document: try JSONEncoder().encode(StoredPolicy(spec: spec, definition: definition)), updatedAt: Date()
                    )
                )
            } catch let error as StorageError where error.code == .duplicate {
                throw ManagementError.conflict("An operation policy \(spec.name) \(spec.version) exists already")
            }
            return policy
        }
    }

    /// Deletes a common policy (APIs that use it keep the mediation they were saved with) or one of an API's (not
    /// while the API's operations name it: 409).
    /// - Throws: ``ManagementError`` 404, 400 for a built-in policy, 409.
    package func delete(id: String, apiID: String?) async throws {
        try await services.publisherGate.run {
            if BuiltInOperationPolicies.all.contains(where: { $0.id == id }) {
                throw ManagementError.badRequest("A built-in operation policy cannot be deleted")
            }
            guard let record = try await services.storage.object(.operationPolicy, id: id), record.apiID == apiID,
                let policy = Self.decode(record)
            else { throw Self.notFound(id) }
            if let apiID {
                let api = try await PublisherSupport.api(apiID, services)
                let used = api.stored.definition.operations.contains { operation in
                    APIOperationPolicies.Flow.allCases.contains { flow in
                        (operation.operationPolicies?[flow] ?? []).contains { Self.names($0, policy) }
                    }
                }
                if used { throw ManagementError.conflict("The API's operations use the policy \(policy.spec.name)") }
            }
            _ = try await services.storage.deleteObject(.operationPolicy, id: id)
        }
    }

    // MARK: - APIs

    /// Resolves every operation policy of `definition` (looked up by id, else by name and version among the API's
    /// own policies and then the common ones), checks flows and parameters, and stores the rendered mediation in
    /// each reference (replacing anything a client sent there).
    /// - Throws: ``ManagementError`` 400 naming the operation and policy.
    package func resolve(_ definition: inout APIDefinition) async throws {
        guard definition.operations.contains(where: { !($0.operationPolicies?.isEmpty ?? true) }) else { return }
        var candidates = try await commonPolicies()
        if let apiID = definition.id {
            candidates = try await services.storage.objects(.operationPolicy, owner: .api(apiID)).compactMap(Self.decode)
                + candidates
        }
        for index in definition.operations.indices {
            guard var policies = definition.operations[index].operationPolicies else { continue }
            for flow in APIOperationPolicies.Flow.allCases {
                policies[flow] = try policies[flow].enumerated().map { position, reference in
                    let field = "operations[\(index)].operationPolicies.\(flow.rawValue)[\(position)]"
                    return try Self.rendered(reference, flow: flow, field: field, candidates: candidates)
                }
            }
            definition.operations[index].operationPolicies = policies
        }
    }

    private static func rendered(
        _ reference: APIOperationPolicy, flow: APIOperationPolicies.Flow, field: String, candidates: [Policy]
    ) throws(ManagementError) -> APIOperationPolicy {
        let found = reference.policyId.flatMap { id in candidates.first { $0.id == id } }
            ?? candidates.first { names(reference, $0) }
        guard let policy = found else {
            throw ManagementError.badRequest(
                "\(field): no operation policy \(reference.policyName) \(reference.policyVersion) for this API"
            )
        }
        guard policy.spec.applicableFlows.contains(flow.rawValue) else {
            throw ManagementError.badRequest("\(field): the policy \(policy.spec.name) does not apply to the \(flow.rawValue) flow")
        }
        let values = try policy.spec.values(for: reference.parameters, field: field)
        var resolved = reference
        resolved.policyName = policy.spec.name
        resolved.policyVersion = policy.spec.version
        resolved.policyId = policy.id
        resolved.policyType = policy.apiID == nil ? "common" : "api"
        do {
            resolved.mediation = try OperationPolicyTemplate.render(policy.definition, parameters: values)
        } catch {
            throw ManagementError.badRequest("\(field): the policy \(policy.spec.name) cannot be rendered: \(error)")
        }
        return resolved
    }

    // MARK: - Support

    /// Refuses a definition that is not usable Synapse, or that names attributes the specification lacks.
    static func checkDefinition(_ definition: String, spec: OperationPolicySpec) throws(ManagementError) {
        let attributes = Set(spec.policyAttributes.map(\.name))
        do {
            for name in try OperationPolicyTemplate.variables(in: definition) where !attributes.contains(name) {
                throw ManagementError.badRequest("The Synapse definition uses {{ \(name) }}, which is not an attribute of the policy")
            }
            // Rendered with placeholder values, it must parse as Synapse mediators.
            let sample = Dictionary(uniqueKeysWithValues: spec.policyAttributes.map { ($0.name, $0.defaultValue ?? $0.allowedValues?.first ?? "x") })
            _ = try OperationPolicyTemplate.render(definition, parameters: sample)
        } catch let error as ManagementError {
            throw error
        } catch {
            throw ManagementError.badRequest("The Synapse definition cannot be used: \(error)")
        }
    }

    static func names(_ reference: APIOperationPolicy, _ policy: Policy) -> Bool {
        reference.policyId == policy.id
            || (reference.policyName == policy.spec.name && reference.policyVersion == policy.spec.version)
    }

    private static func decode(_ record: PublisherObjectRecord) -> Policy? {
        (try? JSONDecoder().decode(StoredPolicy.self, from: record.document)).map {
            Policy(id: record.id, apiID: record.apiID, spec: $0.spec, definition: $0.definition)
        }
    }

    private static func notFound(_ id: String) -> ManagementError {
        .wso2(.notFound, code: 902010, "Operation Policy Not Found", "Requested operation policy with id '\(id)' not found")
    }
}
