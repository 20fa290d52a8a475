import Hummingbird
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// The documents of an API: list, add (inline text, Markdown or a URL) and delete.
extension PublisherPortal {
    func addDocumentRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/publisher/apis/:apiId/documents") { request, context in
            try await documents(request, apiID: context.parameters.require("apiId"))
        }
        router.post("/publisher/apis/:apiId/documents") { request, context in
            try await createDocument(request, apiID: context.parameters.require("apiId"))
        }
        router.post("/publisher/apis/:apiId/documents/:documentId/delete") { request, context in
            try await deleteDocument(
                request,
                apiID: context.parameters.require("apiId"),
                documentID: context.parameters.require("documentId")
            )
        }
    }

    private var documentService: DocumentService { DocumentService(services: portal.services) }

    private func documents(_ request: Request, apiID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        return try await documentsPage(apiID, principal: principal, session: session)
    }

    private func documentsPage(
        _ apiID: String,
        principal: Principal,
        session: PortalSession,
        draft: DocumentService.Draft? = nil,
        errors: [String] = []
    ) async throws -> Response {
        let record = try await apis.api(apiID)
        let documents = try await documentService.documents(apiID: apiID, by: principal)
        var values = summary(record)
        values["tabs"] = tabs(apiID, current: "Documents")
        values["documents"] = documents.map { document -> [String: Any] in
            [
                "documentId": document.id, "name": document.name, "type": document.type,
                "sourceType": document.sourceType,
                "summary": document.summary ?? "", "hasSummary": !(document.summary ?? "").isEmpty,
                "url": document.sourceURL ?? "", "isURL": document.sourceType == "URL",
                "content": document.content ?? "", "hasContent": !(document.content ?? "").isEmpty,
                "createdBy": document.createdBy,
                "updated": Self.date(document.updatedAt),
            ]
        }
        values["hasDocuments"] = !documents.isEmpty
        values["canCreate"] = principal.has("apim:document_create")
        values["canDelete"] = principal.has("apim:document_manage")
        let draft = draft ?? DocumentService.Draft(name: "", type: "HOWTO", sourceType: "INLINE")
        values["draft"] = [
            "name": draft.name, "summary": draft.summary ?? "", "url": draft.sourceURL ?? "",
            "content": draft.content ?? "",
        ]
        values["types"] = DocumentService.types.map { ["value": $0, "selected": $0 == draft.type] }
        values["sourceTypes"] = DocumentService.sourceTypes.map { ["value": $0, "selected": $0 == draft.sourceType] }
        values["errors"] = errors
        values["hasErrors"] = !errors.isEmpty
        return portal.page(
            "publisher/documents",
            title: "Documents of \(record.name)",
            session: session,
            area: .publisher,
            values: values,
            status: errors.isEmpty ? .ok : .badRequest
        )
    }

    private func createDocument(_ request: Request, apiID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        let form = try await form(request, session)
        let sourceType = form.text("sourceType") ?? "INLINE"
        let draft = DocumentService.Draft(
            name: form.text("name") ?? "",
            type: form.text("type") ?? "",
            sourceType: sourceType,
            summary: form.text("summary"),
            sourceURL: sourceType == "URL" ? form.text("url") : nil,
            content: sourceType == "URL" ? nil : form["content"]
        )
        do {
            let document = try await documentService.create(draft, apiID: apiID, by: principal)
            return portal.redirect(
                to: "/publisher/apis/\(apiID)/documents",
                flash: .init("Added the document \(document.name)"),
                session: session
            )
        } catch {
            guard let messages = Self.messages(for: error) else { throw error }
            return try await documentsPage(
                apiID,
                principal: principal,
                session: session,
                draft: draft,
                errors: messages
            )
        }
    }

    private func deleteDocument(_ request: Request, apiID: String, documentID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        _ = try await form(request, session)
        try await documentService.delete(documentID: documentID, apiID: apiID, by: principal)
        return portal.redirect(
            to: "/publisher/apis/\(apiID)/documents",
            flash: .init("Deleted the document"),
            session: session
        )
    }
}
