import Foundation
import SluiceStorage

/// `DocumentDTO`: a document of an API; `inlineContent` carries the text of INLINE and MARKDOWN documents. A FILE
/// document's file is uploaded to and read from `.../documents/{documentId}/content`.
struct DocumentDTO: Codable, Sendable {
    static let types: Set<String> = [
        "HOWTO", "SAMPLES", "PUBLIC_FORUM", "SUPPORT_FORUM", "API_MESSAGE_FORMAT", "SWAGGER_DOC", "OTHER",
    ]
    static let sourceTypes: Set<String> = ["INLINE", "MARKDOWN", "URL", "FILE"]
    static let visibilities: Set<String> = ["API_LEVEL", "PRIVATE", "OWNER_ONLY"]
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

    /// Checks the fields of a request.
    /// - Throws: ``ManagementError`` 400 listing every problem.
    func validate() throws(ManagementError) {
        var problems: [String] = []
        if name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 255 {
            problems.append("name must be 1 to 255 characters")
        }
        if !Self.types.contains(type) {
            problems.append("type must be one of \(Self.types.sorted().joined(separator: ", "))")
        }
        if !Self.sourceTypes.contains(sourceType) {
            problems.append("sourceType must be one of \(Self.sourceTypes.sorted().joined(separator: ", "))")
        }
        if let visibility, !Self.visibilities.contains(visibility) {
            problems.append("visibility must be one of \(Self.visibilities.sorted().joined(separator: ", "))")
        }
        if sourceType == "URL" {
            if let url = sourceUrl.flatMap(URL.init(string:)),
                ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                url.host != nil
            {
            } else {
                problems.append("sourceUrl must be an http or https URL for a URL document")
            }
        }
        guard problems.isEmpty else {
            throw ManagementError.badRequest(
                problems.joined(separator: "; "),
                items: problems.map { ManagementError.Item(code: "400", message: "Invalid document", description: $0) }
            )
        }
    }
}
