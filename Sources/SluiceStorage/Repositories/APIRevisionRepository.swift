/// The revisions of publisher APIs; deleting an API deletes its revisions.
public protocol APIRevisionRepository: Sendable {
    /// Stores a new revision.
    /// - Throws: ``StorageError/duplicate(_:)`` when the API already has a revision with that number,
    ///   ``StorageError/notFound(_:)`` when the API does not exist.
    func createRevision(_ revision: APIRevisionRecord) async throws
    /// The API's revisions, by number.
    func revisions(apiID: String) async throws -> [APIRevisionRecord]
    /// The revision with this id, of this API.
    func revision(apiID: String, id: String) async throws -> APIRevisionRecord?
    /// Deletes a revision.
    /// - Returns: False when the API had no such revision.
    func deleteRevision(apiID: String, id: String) async throws -> Bool
}
