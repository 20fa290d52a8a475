public import Foundation

/// Documents of publisher APIs.
public protocol APIDocumentRepository: Sendable {
    /// Stores a new document.
    /// - Throws: ``StorageError/duplicate(_:)`` when the API already has a document of that name,
    ///   ``StorageError/notFound(_:)`` when the API does not exist.
    func createDocument(_ document: APIDocumentRecord) async throws
    /// Replaces a document's fields (the API and creation data stay).
    /// - Throws: ``StorageError/notFound(_:)``, ``StorageError/duplicate(_:)``.
    func updateDocument(_ document: APIDocumentRecord) async throws
    /// Deletes a document of an API.
    /// - Returns: False when it did not exist.
    func deleteDocument(apiID: String, id: String) async throws -> Bool
    /// The document with this id, when it belongs to the API.
    func document(apiID: String, id: String) async throws -> APIDocumentRecord?
    /// The API's documents ordered by name.
    func documents(apiID: String) async throws -> [APIDocumentRecord]
    /// Replaces a document's content with bytes (an uploaded file), its media type and file name.
    /// - Throws: ``StorageError/notFound(_:)``.
    func setDocumentContent(_ content: APIDocumentContent, apiID: String, id: String, updatedAt: Date) async throws
    /// A document's content as bytes, with the media type and file name of an upload; nil when it has none.
    func documentContent(apiID: String, id: String) async throws -> APIDocumentContent?
}
