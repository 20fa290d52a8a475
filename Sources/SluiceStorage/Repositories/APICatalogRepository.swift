import Foundation

/// How the portals present APIs: thumbnails, and the categories and labels administrators attach to them.
public protocol APICatalogRepository: Sendable {
    /// Stores or replaces an API's thumbnail.
    /// - Throws: ``StorageError/notFound(_:)`` when the API does not exist.
    func setThumbnail(_ thumbnail: APIThumbnail) async throws
    /// The API's thumbnail, if it has one.
    func thumbnail(apiID: String) async throws -> APIThumbnail?
    /// Stores a new category or label.
    /// - Throws: ``StorageError/duplicate(_:)`` when one of that kind has the name (ignoring case).
    func createGrouping(_ grouping: APIGroupingRecord) async throws
    /// Replaces a category's or label's name and description.
    /// - Throws: ``StorageError/notFound(_:)``, ``StorageError/duplicate(_:)``.
    func updateGrouping(_ grouping: APIGroupingRecord) async throws
    /// Deletes a category or label, detaching it from every API.
    /// - Returns: False when it did not exist.
    func deleteGrouping(id: String) async throws -> Bool
    /// The categories or labels, by name.
    func groupings(_ kind: APIGroupingRecord.Kind) async throws -> [APIGroupingRecord]
    /// Replaces the groups of a kind attached to an API.
    /// - Throws: ``StorageError/notFound(_:)`` when the API or a group does not exist.
    func setGroupings(_ ids: [String], of kind: APIGroupingRecord.Kind, apiID: String) async throws
    /// The ids of the groups attached to an API.
    func groupingIDs(apiID: String) async throws -> [String]
    /// The ids of the APIs a group is attached to.
    func apiIDs(groupingID: String) async throws -> [String]
}
