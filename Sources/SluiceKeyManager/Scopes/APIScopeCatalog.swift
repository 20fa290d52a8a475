import Foundation
import SluiceModel
import SluiceStorage
import Synchronization

/// The scopes stored APIs declare and the shared scopes, with the roles bound to each, read from storage and kept
/// until the publisher writes again (``KeyManager/apiScopesChanged()``).
///
/// The same scope may be declared more than once: by several versions of one API, and by the revision live on
/// the gateway next to a creator's pending edit. A user must then satisfy every declaration, so an edit can
/// narrow who obtains a scope at once but never widen it for the other declarations. A shared scope (WSO2's
/// `/scopes`) has one declaration, its own: the APIs that use it do not bind it to roles.
final class APIScopeCatalog: Sendable {
    /// Scope name → the role sets of its declarations (an empty set: anyone).
    typealias Declarations = [String: [Set<String>]]

    private struct State {
        var generation: UInt64 = 0
        var cached: Declarations?
    }

    private let state = Mutex(State())

    /// Forgets the cached declarations; the next grant reads them again.
    func invalidate() {
        state.withLock { state in
            state.generation &+= 1
            state.cached = nil
        }
    }

    /// The declarations, read from `storage` when the cache is empty.
    func declarations(from storage: any APIRepository & PublisherObjectRepository) async throws -> Declarations {
        let (generation, cached) = state.withLock { ($0.generation, $0.cached) }
        if let cached { return cached }
        let shared = try await storage.objects(.sharedScope, owner: .common)
        let built = Self.declarations(in: try await storage.apis(), shared: shared)
        // A write that happened while we read may not be in `built`: keep it only if none did.
        state.withLock { state in
            if state.generation == generation { state.cached = built }
        }
        return built
    }

    /// The declarations of the stored definitions (the working copy's and, while a pending edit waits for a
    /// publisher, the deployed revision's) and of the shared scopes. Records that do not decode declare nothing.
    static func declarations(in records: [APIRecord], shared: [PublisherObjectRecord] = []) -> Declarations {
        var declarations: Declarations = [:]
        let decoder = JSONDecoder()
        for object in shared {
            guard let scope = try? decoder.decode(APIScope.Scope.self, from: object.document) else { continue }
            declarations[scope.name] = [Set(scope.bindings)]
        }
        let sharedNames = Set(declarations.keys)
        for record in records {
            guard let data = record.definition, let stored = try? decoder.decode(StoredScopes.self, from: data)
            else { continue }
            for scope in (stored.definition?.scopes ?? []) + (stored.deployed?.definition?.scopes ?? [])
            where !sharedNames.contains(scope.name) {
                declarations[scope.name, default: []].append(Set(scope.bindings))
            }
        }
        return declarations
    }

    /// The parts of the publisher's stored API document (`StoredAPI` of the management module) that declare
    /// scopes: `definition.scopes` and `deployed.definition.scopes`.
    private struct StoredScopes: Decodable {
        struct Definition: Decodable {
            var scopes: [APIScope]?
        }

        struct Revision: Decodable {
            var definition: Definition?
        }

        var definition: Definition?
        var deployed: Revision?
    }
}
