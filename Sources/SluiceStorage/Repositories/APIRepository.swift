/// Publisher APIs and their lifecycle history.
public protocol APIRepository: Sendable {
    /// Stores a new API and its creation history entry.
    /// - Throws: ``StorageError/duplicate(_:)`` when provider/name/version or context/version is taken.
    func createAPI(_ api: APIRecord, actor: String) async throws
    /// Replaces an API's fields except its lifecycle state.
    /// - Throws: ``StorageError/notFound(_:)``, ``StorageError/duplicate(_:)``.
    func updateAPI(_ api: APIRecord) async throws
    /// Deletes an API with its documents, ratings, comments and subscriptions.
    /// - Returns: False when it did not exist.
    func deleteAPI(id: String) async throws -> Bool
    /// The API with this id.
    func api(id: String) async throws -> APIRecord?
    /// The API with this context and version.
    func api(key: APIKey) async throws -> APIRecord?
    /// Every API, ordered by name then version.
    func apis() async throws -> [APIRecord]
    /// The APIs that pass `filter` (see ``APIFilter/matches(_:)``), ordered by name then version.
    func apis(matching filter: APIFilter) async throws -> [APIRecord]
    /// Moves an API to a new lifecycle state and records the transition.
    /// - Throws: ``StorageError/notFound(_:)``.
    func recordLifecycleChange(_ entry: LifecycleHistoryEntry) async throws
    /// The API's lifecycle history, oldest first.
    func lifecycleHistory(apiID: String) async throws -> [LifecycleHistoryEntry]
}
