import Foundation
package import SluiceStorage

/// Documents of an API as the publisher manages them: the logic behind `POST` and `DELETE`
/// `/api/am/publisher/v4/apis/{apiId}/documents`, shared with the Publisher portal.
package struct DocumentService: Sendable {
    let services: APIManagerServices

    /// Creates the service.
    package init(services: APIManagerServices) {
        self.services = services
    }

    static let knownTypes: Set<String> = [
        "HOWTO", "SAMPLES", "PUBLIC_FORUM", "SUPPORT_FORUM", "API_MESSAGE_FORMAT", "SWAGGER_DOC", "OTHER",
    ]
    static let knownSourceTypes: Set<String> = ["INLINE", "MARKDOWN", "URL", "FILE"]
    static let visibilities: Set<String> = ["API_LEVEL", "PRIVATE", "OWNER_ONLY"]

    /// The document types WSO2 knows (`HOWTO`, `SAMPLES`, ...), sorted.
    package static var types: [String] { knownTypes.sorted() }
    /// The source types served (`INLINE`, `MARKDOWN`, `URL`), sorted.
    // FILE documents are uploaded through the REST API; the portal's form has no upload.
    package static var sourceTypes: [String] { knownSourceTypes.subtracting(["FILE"]).sorted() }

    /// What a new document holds.
    package struct Draft: Sendable, Hashable {
        package var name: String
        package var type: String
        package var sourceType: String
        package var summary: String?
        /// The URL of a `URL` document.
        package var sourceURL: String?
        /// The text of an `INLINE` or `MARKDOWN` document.
        package var content: String?
        /// `API_LEVEL` (shown in the store), `PRIVATE` or `OWNER_ONLY`; nil means `API_LEVEL`.
        package var visibility: String?

        /// Creates a draft.
        package init(
            name: String,
            type: String,
            sourceType: String,
            summary: String? = nil,
            sourceURL: String? = nil,
            content: String? = nil,
            visibility: String? = nil
        ) {
            self.name = name
            self.type = type
            self.sourceType = sourceType
            self.summary = summary
            self.sourceURL = sourceURL
            self.content = content
            self.visibility = visibility
        }
    }

    /// The documents of an API.
    /// - Throws: ``ManagementError`` 403 without `apim:api_view`, 404 for an unknown API.
    package func documents(apiID: String, by principal: Principal) async throws -> [APIDocumentRecord] {
        try principal.require("apim:api_view")
        _ = try await PublisherSupport.api(apiID, services)
        return try await services.storage.documents(apiID: apiID)
    }

    /// Adds a document to an API.
    /// - Throws: ``ManagementError`` 403 without `apim:document_create`, 404, 400 for invalid fields, 409 for a
    ///   name the API already uses.
    package func create(_ draft: Draft, apiID: String, by principal: Principal) async throws -> APIDocumentRecord {
        try principal.require("apim:document_create")
        _ = try await PublisherSupport.api(apiID, services)
        try draft.validate()
        if try await services.storage.documents(apiID: apiID).contains(where: { $0.name == draft.name }) {
            throw ManagementError.conflict("The API already has a document named \(draft.name)")
        }
        let now = Date()
        let record = APIDocumentRecord(
            id: UUID().uuidString.lowercased(),
            apiID: apiID,
            name: draft.name,
            type: draft.type,
            sourceType: draft.sourceType,
            summary: draft.summary,
            sourceURL: draft.sourceType == "URL" ? draft.sourceURL : nil,
            content: draft.sourceType == "URL" ? nil : draft.content,
            visibility: draft.visibility ?? "API_LEVEL",
            createdBy: principal.username,
            createdAt: now,
            updatedAt: now
        )
        try await services.storage.createDocument(record)
        return record
    }

    /// Deletes a document.
    /// - Throws: ``ManagementError`` 403 without `apim:document_manage`, 404.
    package func delete(documentID: String, apiID: String, by principal: Principal) async throws {
        try principal.require("apim:document_manage")
        guard try await services.storage.document(apiID: apiID, id: documentID) != nil else {
            throw ManagementError.notFound("Document \(documentID) not found")
        }
        _ = try await services.storage.deleteDocument(apiID: apiID, id: documentID)
    }
}

extension DocumentService.Draft {
    /// Checks the fields.
    /// - Throws: ``ManagementError`` 400 listing every problem.
    package func validate() throws(ManagementError) {
        var problems: [String] = []
        if name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 255 {
            problems.append("name must be 1 to 255 characters")
        }
        func choices(_ values: Set<String>) -> String { values.sorted().joined(separator: ", ") }
        if !DocumentService.knownTypes.contains(type) {
            problems.append("type must be one of \(choices(DocumentService.knownTypes))")
        }
        if !DocumentService.knownSourceTypes.contains(sourceType) {
            problems.append("sourceType must be one of \(choices(DocumentService.knownSourceTypes))")
        }
        if let visibility, !DocumentService.visibilities.contains(visibility) {
            problems.append("visibility must be one of \(choices(DocumentService.visibilities))")
        }
        if sourceType == "URL" {
            if let url = sourceURL.flatMap(URL.init(string:)),
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
