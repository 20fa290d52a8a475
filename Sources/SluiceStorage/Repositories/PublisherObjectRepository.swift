/// Shared scopes, operation policies, endpoint certificates and API endpoints (see ``PublisherObjectRecord``).
public protocol PublisherObjectRepository: Sendable {
    /// Stores a new object.
    /// - Throws: ``StorageError/duplicate(_:)`` when its owner has one of that kind and name;
    ///   ``StorageError/notFound(_:)`` when its API does not exist.
    func createObject(_ object: PublisherObjectRecord) async throws
    /// Replaces an object's name and document.
    /// - Throws: ``StorageError/notFound(_:)``, ``StorageError/duplicate(_:)``.
    func updateObject(_ object: PublisherObjectRecord) async throws
    /// Deletes an object.
    /// - Returns: False when there was none of that kind and id.
    func deleteObject(_ kind: PublisherObjectRecord.Kind, id: String) async throws -> Bool
    /// The object of that kind and id.
    func object(_ kind: PublisherObjectRecord.Kind, id: String) async throws -> PublisherObjectRecord?
    /// The objects of a kind an owner has, by name.
    func objects(_ kind: PublisherObjectRecord.Kind, owner: PublisherObjectRecord.Owner) async throws
        -> [PublisherObjectRecord]
}
