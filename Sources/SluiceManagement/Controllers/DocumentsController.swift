import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// Documents of an API: managed in the publisher, read in the publisher and the devportal.
struct DocumentsController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let publisher = PublisherAPIsController.prefix + "/apis/:apiId/documents"
        routes.get(publisher) { request, context in
            try await list(request, apiID: context.parameters.path("apiId"), portal: false)
        }
        routes.post(publisher) { request, context in try await create(request, apiID: context.parameters.path("apiId"))
        }
        routes.get("\(publisher)/:documentId") { request, context in
            try await get(request, context.parameters, portal: false)
        }
        routes.put("\(publisher)/:documentId") { request, context in try await update(request, context.parameters) }
        routes.delete("\(publisher)/:documentId") { request, context in try await delete(request, context.parameters) }
        routes.get("\(publisher)/:documentId/content") { request, context in
            try await content(request, context.parameters, portal: false)
        }
        routes.post("\(publisher)/:documentId/content") { request, context in
            try await upload(request, context.parameters)
        }
        let portal = DevPortalAPIsController.prefix + "/apis/:apiId/documents"
        routes.get(portal) { request, context in
            try await list(request, apiID: context.parameters.path("apiId"), portal: true)
        }
        routes.get("\(portal)/:documentId") { request, context in
            try await get(request, context.parameters, portal: true)
        }
        routes.get("\(portal)/:documentId/content") { request, context in
            try await content(request, context.parameters, portal: true)
        }
    }

    // MARK: - Reading

    /// The API whose documents are read: any API for publisher users, a store-visible one in the devportal.
    private func readableAPI(_ request: Request, apiID: String, portal: Bool) async throws -> APIRecord {
        if portal { return try await DevPortalSupport.visibleAPI(apiID, request: request, services: services) }
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_view")
        return try await PublisherSupport.api(apiID, services)
    }

    private func list(_ request: Request, apiID: String, portal: Bool) async throws -> Response {
        _ = try await readableAPI(request, apiID: apiID, portal: portal)
        let documents = try await services.storage.documents(apiID: apiID)
            .filter { !portal || $0.visibility == "API_LEVEL" }
        return JSONResponses.response(
            ListDTO(documents.map { DocumentDTO($0, withContent: false) }, page: try request.pagination())
        )
    }

    private func document(_ parameters: Parameters, portal: Bool) async throws -> APIDocumentRecord {
        let apiID = parameters.path("apiId")
        let id = parameters.path("documentId")
        guard let document = try await services.storage.document(apiID: apiID, id: id),
            !portal || document.visibility == "API_LEVEL"
        else { throw ManagementError.notFound("Document \(id) not found") }
        return document
    }

    private func get(_ request: Request, _ parameters: Parameters, portal: Bool) async throws -> Response {
        _ = try await readableAPI(request, apiID: parameters.path("apiId"), portal: portal)
        return JSONResponses.response(DocumentDTO(try await document(parameters, portal: portal)))
    }

    private func content(_ request: Request, _ parameters: Parameters, portal: Bool) async throws -> Response {
        _ = try await readableAPI(request, apiID: parameters.path("apiId"), portal: portal)
        let document = try await document(parameters, portal: portal)
        if document.sourceType == "URL", let url = document.sourceURL {
            return Response(status: .seeOther, headers: [.location: url])
        }
        if document.sourceType == "FILE" {
            guard let file = try await services.storage.documentContent(apiID: document.apiID, id: document.id) else {
                throw ManagementError.notFound("Document \(document.id) has no file yet")
            }
            var headers: HTTPFields = [.contentType: file.contentType ?? "application/octet-stream"]
            headers[.contentDisposition] = "attachment; filename=\"\(Self.safeFileName(file.fileName))\""
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.data)))
        }
        let contentType =
            document.sourceType == "MARKDOWN" ? "text/markdown; charset=utf-8" : "text/plain; charset=utf-8"
        return Response(
            status: .ok,
            headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: document.content ?? ""))
        )
    }

    // MARK: - Writing

    /// `POST .../content`: WSO2's multipart form with a `file` part (FILE documents) or an `inlineContent` field
    /// (INLINE and MARKDOWN documents); a `text/*` body is taken as inline content too.
    private func upload(_ request: Request, _ parameters: Parameters) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(["apim:document_create", "apim:document_manage"])
        var record = try await document(parameters, portal: false)
        let limit = services.decoder.maximumBodySize
        let body: Data
        do {
            body = Data(buffer: try await request.body.collect(upTo: limit))
        } catch {
            throw ManagementError(.contentTooLarge, detail: "The content is larger than \(limit) bytes")
        }
        let contentType = request.headers[.contentType] ?? ""
        var file: MultipartFormData.Part?
        var inline: String?
        if MultipartFormData.isMultipart(contentType) {
            let form = try MultipartFormData(body: body, contentType: contentType)
            file = form["file"]
            if let field = form["inlineContent"] {
                guard let text = field.text else {
                    throw ManagementError.badRequest("inlineContent must be UTF-8 text")
                }
                inline = text
            }
        } else if contentType.lowercased().hasPrefix("text/") {
            guard let text = String(data: body, encoding: .utf8) else {
                throw ManagementError.badRequest("The content must be UTF-8 text")
            }
            inline = text
        } else {
            throw ManagementError.badRequest(
                "Send multipart/form-data with a file part or an inlineContent field, or a text/* body"
            )
        }
        let now = Date()
        switch (file, inline) {
        case (let file?, nil):
            guard record.sourceType == "FILE" else {
                throw ManagementError.badRequest("Only FILE documents take a file; this one is \(record.sourceType)")
            }
            guard !file.body.isEmpty else { throw ManagementError.badRequest("The file is empty") }
            try await services.storage.setDocumentContent(
                APIDocumentContent(
                    data: file.body,
                    contentType: file.contentType ?? "application/octet-stream",
                    fileName: Self.safeFileName(file.fileName)
                ),
                apiID: record.apiID,
                id: record.id,
                updatedAt: now
            )
            record.updatedAt = now
        case (nil, let text?):
            guard record.sourceType == "INLINE" || record.sourceType == "MARKDOWN" else {
                throw ManagementError.badRequest(
                    "Only INLINE and MARKDOWN documents take inline content; this one is \(record.sourceType)"
                )
            }
            record.content = text
            record.updatedAt = now
            try await services.storage.updateDocument(record)
        default:
            throw ManagementError.badRequest("Send exactly one of a file part or an inlineContent field")
        }
        logger.info(
            "Document content updated",
            metadata: ["sluice.api": "\(record.apiID)", "sluice.document": "\(record.id)"]
        )
        return JSONResponses.response(DocumentDTO(record, withContent: false))
    }

    /// A file name safe inside a quoted header parameter: the last path component, without quotes or controls.
    static func safeFileName(_ name: String?) -> String {
        let last = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let kept = last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\"" }
        let cleaned = String(String.UnicodeScalarView(kept))
        return cleaned.isEmpty ? "document" : String(cleaned.prefix(200))
    }

    private func create(_ request: Request, apiID: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:document_create")
        _ = try await PublisherSupport.api(apiID, services)
        let dto = try await services.decoder.decode(
            DocumentDTO.self,
            from: request,
            readOnlyFields: DocumentDTO.readOnlyFields
        )
        let record = try await DocumentService(services: services).create(dto.draft, apiID: apiID, by: principal)
        return JSONResponses.response(
            DocumentDTO(record),
            status: .created,
            headers: [.location: "\(PublisherAPIsController.prefix)/apis/\(apiID)/documents/\(record.id)"]
        )
    }

    private func update(_ request: Request, _ parameters: Parameters) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:document_manage")
        var record = try await document(parameters, portal: false)
        let dto = try await services.decoder.decode(
            DocumentDTO.self,
            from: request,
            readOnlyFields: DocumentDTO.readOnlyFields
        )
        try dto.draft.validate()
        record.name = dto.name
        record.type = dto.type
        record.sourceType = dto.sourceType
        record.summary = dto.summary
        record.sourceURL = dto.sourceType == "URL" ? dto.sourceUrl : nil
        record.content = dto.sourceType == "URL" ? nil : dto.inlineContent
        record.visibility = dto.visibility ?? record.visibility
        record.updatedAt = Date()
        try await services.storage.updateDocument(record)
        return JSONResponses.response(DocumentDTO(record))
    }

    private func delete(_ request: Request, _ parameters: Parameters) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:document_manage")
        let record = try await document(parameters, portal: false)
        try await DocumentService(services: services).delete(documentID: record.id, apiID: record.apiID, by: principal)
        return JSONResponses.empty()
    }
}
