import Foundation
package import SluiceArtifacts
package import SluiceModel
package import SluiceStorage

/// WSO2's shared scopes (`/scopes` of the publisher): a scope defined once, with its labels and role bindings,
/// that the operations of several APIs require. An API uses one by listing it in `scopes` (any declaration whose
/// name is a shared scope's stands for it: the API's own labels and bindings are replaced by the shared scope's,
/// as WSO2 does); the key manager grants it by the shared scope's bindings; a shared scope in use cannot be
/// deleted (409, WSO2's `900985`).
package struct SharedScopeService: Sendable {
    /// A stored shared scope.
    package struct SharedScope: Sendable, Hashable {
        /// A UUID string.
        package var id: String
        package var scope: APIScope.Scope
    }

    /// An API that uses a shared scope, and the operations of it that require the scope.
    package struct Usage: Sendable {
        package var api: APIRecord
        package var operations: [APIOperation]
    }

    let services: APIManagerServices

    package init(services: APIManagerServices) {
        self.services = services
    }

    /// Every shared scope, by name, with how many APIs use each.
    package func list() async throws -> [(scope: SharedScope, usageCount: Int)] {
        let apis = try await services.storage.apis()
        return try await stored().map { shared in
            (scope: shared, usageCount: apis.filter { Self.declares($0, shared.scope.name) }.count)
        }
    }

    /// One shared scope.
    /// - Throws: ``ManagementError`` 404 (`900981`).
    package func scope(id: String) async throws -> SharedScope {
        guard let record = try await services.storage.object(.sharedScope, id: id), let scope = Self.decode(record) else {
            throw Self.notFound(id)
        }
        return scope
    }

    /// Creates a shared scope.
    /// - Throws: ``ManagementError`` 409 (`900984`) when the name is a shared scope's, an API's or a REST API
    ///   scope; 400 for a binding that is not a role, or a field too long.
    package func create(_ scope: APIScope.Scope) async throws -> SharedScope {
        try await services.publisherGate.run {
            try await check(scope)
            if try await nameExists(scope.name) {
                throw ManagementError.wso2(.conflict, code: 900984, "Scope already exists", "Scope \(scope.name) already exists")
            }
            let shared = SharedScope(id: UUID().uuidString.lowercased(), scope: scope)
            try await services.storage.createObject(try Self.record(shared))
            return shared
        }
    }

    /// Replaces a shared scope's display name, description and bindings; its id and name stay. Users obtain it by
    /// the new bindings from their next token; tokens issued already keep it until they expire, as in WSO2.
    /// - Throws: ``ManagementError`` 404 (`900981`), 400.
    package func update(id: String, with scope: APIScope.Scope) async throws -> SharedScope {
        try await services.publisherGate.run {
            var shared = try await self.scope(id: id)
            var replacement = scope
            replacement.name = shared.scope.name
            try await check(replacement)
            shared.scope = replacement
            try await services.storage.updateObject(try Self.record(shared))
            return shared
        }
    }

    /// Deletes a shared scope no API uses.
    /// - Throws: ``ManagementError`` 404 (`900981`), 409 (`900985`) while an API uses it.
    package func delete(id: String) async throws {
        try await services.publisherGate.run {
            let shared = try await scope(id: id)
            guard try await usage(of: shared).isEmpty else {
                throw ManagementError.wso2(
                    .conflict, code: 900985, "Shared Scope already attached",
                    "Shared Scope \(id) is already used by one or more APIs"
                )
            }
            _ = try await services.storage.deleteObject(.sharedScope, id: id)
        }
    }

    /// The APIs using a shared scope (their working copy or the revision on the gateway lists it), with the
    /// operations that require it.
    /// - Throws: ``ManagementError`` 404 (`900981`).
    package func usage(id: String) async throws -> (scope: SharedScope, usages: [Usage]) {
        let shared = try await scope(id: id)
        return (scope: shared, usages: try await usage(of: shared))
    }

    /// Whether a scope of this name exists: a shared scope, a scope an API declares, or a REST API scope.
    /// `nameOrEncoded` is the name or WSO2's base64url encoding of it.
    package func exists(_ nameOrEncoded: String) async throws -> Bool {
        for name in PlatformService.roleNames(for: nameOrEncoded) where try await nameExists(name) {
            return true
        }
        return false
    }

    /// The shared scopes, for the publisher's checks of an API's declarations.
    package func stored() async throws -> [SharedScope] {
        try await services.storage.objects(.sharedScope, owner: .common).compactMap(Self.decode)
    }

    private func usage(of shared: SharedScope) async throws -> [Usage] {
        try await services.storage.apis().filter { Self.declares($0, shared.scope.name) }.map { api in
            let operations = api.stored.definition.operations.filter { $0.scopes.contains(shared.scope.name) }
            return Usage(api: api, operations: operations)
        }
    }

    private func nameExists(_ name: String) async throws -> Bool {
        if try await stored().contains(where: { $0.scope.name == name }) { return true }
        if try await services.storage.roles().contains(where: { $0.scopes.contains(name) }) { return true }
        return try await services.storage.apis().contains { Self.declares($0, name) }
    }

    private func check(_ scope: APIScope.Scope) async throws {
        var problems: [String] = []
        if scope.name.isEmpty || scope.name.count > 255 { problems.append("name: 1 to 255 characters") }
        if scope.name.contains(where: \.isWhitespace) { problems.append("name: no spaces (tokens list scopes by spaces)") }
        if (scope.displayName?.count ?? 0) > 255 { problems.append("displayName: at most 255 characters") }
        if (scope.description?.count ?? 0) > 512 { problems.append("description: at most 512 characters") }
        let roles = Set(try await services.storage.roles().map(\.name))
        for (index, role) in scope.bindings.enumerated() where !roles.contains(role) {
            problems.append("bindings[\(index)]: '\(role)' is not a role")
        }
        guard problems.isEmpty else { throw ManagementError.badRequest(problems.joined(separator: "; ")) }
    }

    /// Whether the API's working copy or its revision on the gateway declares the scope.
    static func declares(_ api: APIRecord, _ name: String) -> Bool {
        let stored = api.stored
        return (stored.definition.scopes + (stored.deployed?.definition.scopes ?? [])).contains { $0.name == name }
    }

    private static func notFound(_ id: String) -> ManagementError {
        .wso2(.notFound, code: 900981, "Shared Scope not found", "Requested Shared Scope ID \(id) could not be found")
    }

    private static func decode(_ record: PublisherObjectRecord) -> SharedScope? {
        (try? JSONDecoder().decode(APIScope.Scope.self, from: record.document)).map { SharedScope(id: record.id, scope: $0) }
    }

    private static func record(_ shared: SharedScope) throws -> PublisherObjectRecord {
        PublisherObjectRecord(
            id: shared.id, kind: .sharedScope, name: shared.scope.name, document: try JSONEncoder().encode(shared.scope),
            updatedAt: Date()
        )
    }
}
