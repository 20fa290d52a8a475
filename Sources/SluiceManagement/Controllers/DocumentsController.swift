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
        // API products have the same documents (WSO2's "API Product Documents").
        for base in [PublisherAPIsController.prefix + "/apis/:apiId", APIProductsController.path + "/:apiId"] {
            addPublisherRoutes(to: routes, publisher: base + "/documents")
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

    private func addPublisherRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>, publisher: String) {
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
    }

    private var documents: DocumentService { DocumentService(services: services) }

    // MARK: - Reading

    private func list(_ request: Request, apiID: String, portal: Bool) async throws -> Response {
        let documents =
            if portal {
                try await documents.visibleDocuments(
                    apiID: apiID,
                    principal: try await services.authenticator.optionalPrincipal(for: request)
                )
            } else {
                try await documents.documents(apiID: apiID, by: try await services.authenticator.principal(for: request))
            }
        return JSONResponses.response(
            ListDTO(documents.map { DocumentDTO($0, withContent: false) }, page: try request.pagination())
        )
    }

    /// A document: of any API for publisher users, an `API_LEVEL` one of a store-visible API in the devportal.
    private func document(_ request: Request, _ parameters: Parameters, portal: Bool) async throws
        -> APIDocumentRecord
    {
        let (apiID, id) = (parameters.path("apiId"), parameters.path("documentId"))
        if portal {
            let principal = try await services.authenticator.optionalPrincipal(for: request)
            return try await documents.visibleDocument(documentID: id, apiID: apiID, principal: principal)
        }
        let principal = try await services.authenticator.principal(for: request)
        return try await documents.document(documentID: id, apiID: apiID, by: principal)
    }

    private func get(_ request: Request, _ parameters: Parameters, portal: Bool) async throws -> Response {
        JSONResponses.response(DocumentDTO(try await document(request, parameters, portal: portal)))
    }

    private func content(_ request: Request, _ parameters: Parameters, portal: Bool) async throws -> Response {
        let document = try await document(request, parameters, portal: portal)
        if document.sourceType == "URL", let url = document.sourceURL {
            return Response(status: .seeOther, headers: [.location: url])
        }
        if document.sourceType == "FILE" {
            let file = try await documents.file(of: document)
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
        let content: DocumentService.Content
        switch (file, inline) {
        case (let file?, nil):
            content = .file(
                APIDocumentContent(
                    data: file.body,
                    contentType: file.contentType ?? "application/octet-stream",
                    fileName: Self.safeFileName(file.fileName)
                )
            )
        case (nil, let text?):
            content = .inline(text)
        default:
            throw ManagementError.badRequest("Send exactly one of a file part or an inlineContent field")
        }
        let record = try await documents.setContent(
            content,
            documentID: parameters.path("documentId"),
            apiID: parameters.path("apiId"),
            by: principal
        )
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
        let dto = try await services.decoder.decode(
            DocumentDTO.self,
            from: request,
            readOnlyFields: DocumentDTO.readOnlyFields
        )
        let record = try await documents.create(dto.draft, apiID: apiID, by: principal)
        return JSONResponses.response(
            DocumentDTO(record),
            status: .created,
            headers: [.location: "\(PublisherAPIsController.prefix)/apis/\(apiID)/documents/\(record.id)"]
        )
    }

    private func update(_ request: Request, _ parameters: Parameters) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:document_manage")
        let dto = try await services.decoder.decode(
            DocumentDTO.self,
            from: request,
            readOnlyFields: DocumentDTO.readOnlyFields
        )
        let record = try await documents.update(
            documentID: parameters.path("documentId"),
            apiID: parameters.path("apiId"),
            with: dto.draft,
            by: principal
        )
        return JSONResponses.response(DocumentDTO(record))
    }

    private func delete(_ request: Request, _ parameters: Parameters) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try await documents.delete(
            documentID: parameters.path("documentId"),
            apiID: parameters.path("apiId"),
            by: principal
        )
        return JSONResponses.empty()
    }
}
