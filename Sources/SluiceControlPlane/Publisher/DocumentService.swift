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

    /// The documents of an API the devportal shows: the API must be visible to the caller, and only `API_LEVEL`
    /// documents are listed.
    /// - Throws: ``ManagementError`` 404 when the caller may not see the API.
    package func visibleDocuments(apiID: String, principal: Principal?) async throws -> [APIDocumentRecord] {
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        return try await services.storage.documents(apiID: apiID).filter { $0.visibility == "API_LEVEL" }
    }

    /// One document of an API, for publisher users.
    /// - Throws: ``ManagementError`` 403 without `apim:api_view`, 404 for an unknown API or document.
    package func document(documentID: String, apiID: String, by principal: Principal) async throws
        -> APIDocumentRecord
    {
        try principal.require("apim:api_view")
        _ = try await PublisherSupport.api(apiID, services)
        return try await storedDocument(documentID, apiID: apiID)
    }

    /// One `API_LEVEL` document of an API the caller may see in the devportal.
    /// - Throws: ``ManagementError`` 404 for an invisible API or an unknown or non-public document.
    package func visibleDocument(documentID: String, apiID: String, principal: Principal?) async throws
        -> APIDocumentRecord
    {
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        let document = try await storedDocument(documentID, apiID: apiID)
        guard document.visibility == "API_LEVEL" else { throw ManagementError.notFound("Document \(documentID) not found") }
        return document
    }

    /// The uploaded file of a `FILE` document.
    /// - Throws: ``ManagementError`` 404 when none was uploaded yet.
    package func file(of document: APIDocumentRecord) async throws -> APIDocumentContent {
        guard let file = try await services.storage.documentContent(apiID: document.apiID, id: document.id) else {
            throw ManagementError.notFound("Document \(document.id) has no file yet")
        }
        return file
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

    /// Replaces a document's fields; an absent visibility keeps the current one.
    /// - Throws: ``ManagementError`` 403 without `apim:document_manage`, 404, 400 for invalid fields.
    package func update(documentID: String, apiID: String, with draft: Draft, by principal: Principal) async throws
        -> APIDocumentRecord
    {
        try principal.require("apim:document_manage")
        var record = try await storedDocument(documentID, apiID: apiID)
        try draft.validate()
        record.name = draft.name
        record.type = draft.type
        record.sourceType = draft.sourceType
        record.summary = draft.summary
        record.sourceURL = draft.sourceType == "URL" ? draft.sourceURL : nil
        record.content = draft.sourceType == "URL" ? nil : draft.content
        record.visibility = draft.visibility ?? record.visibility
        record.updatedAt = Date()
        try await services.storage.updateDocument(record)
        return record
    }

    /// What new content a document gets.
    package enum Content: Sendable {
        /// The file of a `FILE` document.
        case file(APIDocumentContent)
        /// The text of an `INLINE` or `MARKDOWN` document.
        case inline(String)
    }

    /// Replaces the content of a document of the matching source type.
    /// - Throws: ``ManagementError`` 403 without `apim:document_create` or `apim:document_manage`, 404, 400 for
    ///   an empty file or content of the wrong kind.
    package func setContent(_ content: Content, documentID: String, apiID: String, by principal: Principal)
        async throws -> APIDocumentRecord
    {
        try principal.requireAny(["apim:document_create", "apim:document_manage"])
        var record = try await storedDocument(documentID, apiID: apiID)
        let now = Date()
        switch content {
        case .file(let file):
            guard record.sourceType == "FILE" else {
                throw ManagementError.badRequest("Only FILE documents take a file; this one is \(record.sourceType)")
            }
            guard !file.data.isEmpty else { throw ManagementError.badRequest("The file is empty") }
            try await services.storage.setDocumentContent(file, apiID: record.apiID, id: record.id, updatedAt: now)
            record.updatedAt = now
        case .inline(let text):
            guard record.sourceType == "INLINE" || record.sourceType == "MARKDOWN" else {
                throw ManagementError.badRequest(
                    "Only INLINE and MARKDOWN documents take inline content; this one is \(record.sourceType)"
                )
            }
            record.content = text
            record.updatedAt = now
            try await services.storage.updateDocument(record)
        }
        return record
    }

    /// Deletes a document.
    /// - Throws: ``ManagementError`` 403 without `apim:document_manage`, 404.
    package func delete(documentID: String, apiID: String, by principal: Principal) async throws {
        try principal.require("apim:document_manage")
        _ = try await storedDocument(documentID, apiID: apiID)
        _ = try await services.storage.deleteDocument(apiID: apiID, id: documentID)
    }

    private func storedDocument(_ documentID: String, apiID: String) async throws -> APIDocumentRecord {
        guard let document = try await services.storage.document(apiID: apiID, id: documentID) else {
            throw ManagementError.notFound("Document \(documentID) not found")
        }
        return document
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
