import Foundation
import SluiceControlPlane
import SluiceStorage

/// `DocumentDTO`: a document of an API; `inlineContent` carries the text of INLINE and MARKDOWN documents. A FILE
/// document's file is uploaded to and read from `.../documents/{documentId}/content`.
struct DocumentDTO: Codable, Sendable {
    static let readOnlyFields: Set<String> = ["documentId", "createdBy", "createdTime", "lastUpdatedTime"]

    var documentId: String?
    var name: String
    var type: String
    var summary: String?
    var sourceType: String
    var sourceUrl: String?
    var inlineContent: String?
    var visibility: String?
    var createdBy: String?
    var createdTime: Date?
    var lastUpdatedTime: Date?

    init(_ record: APIDocumentRecord, withContent: Bool = true) {
        documentId = record.id
        name = record.name
        type = record.type
        summary = record.summary
        sourceType = record.sourceType
        sourceUrl = record.sourceURL
        inlineContent = withContent ? record.content : nil
        visibility = record.visibility
        createdBy = record.createdBy
        createdTime = record.createdAt
        lastUpdatedTime = record.updatedAt
    }

    /// The document a request describes.
    var draft: DocumentService.Draft {
        DocumentService.Draft(
            name: name,
            type: type,
            sourceType: sourceType,
            summary: summary,
            sourceURL: sourceUrl,
            content: inlineContent,
            visibility: visibility
        )
    }
}
