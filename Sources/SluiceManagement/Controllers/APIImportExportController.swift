import Foundation
import Hummingbird
import Logging
import SluiceControlPlane

/// WSO2's `GET /apis/export` (an API as an apictl project in a zip archive; apiId, or name, version and
/// providerName; format YAML or JSON; preserveStatus) and `POST /apis/import` (a multipart form with the archive as
/// `file`; overwrite, preserveProvider). The work is ``APIImportExportService``'s.
struct APIImportExportController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    private var service: APIImportExportService { APIImportExportService(services: services, logger: logger) }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        routes.get(PublisherAPIsController.prefix + "/apis/export") { request, _ in try await export(request) }
        routes.post(PublisherAPIsController.prefix + "/apis/import") { request, _ in try await importArchive(request) }
    }

    private func export(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(APIImportExportService.exportScopes)
        let (fileName, archive) = try await service.export(
            APIImportExportService.Selection(
                apiID: request.query("apiId"),
                name: request.query("name"),
                version: request.query("version"),
                provider: request.query("providerName")
            ),
            format: try request.exportFormat(),
            preserveStatus: try request.booleanQuery("preserveStatus", default: true),
            by: principal
        )
        return Response.attachment(archive, fileName: fileName, contentType: "application/zip")
    }

    private func importArchive(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(APIImportExportService.importScopes)
        let options = APIImportExportService.ImportOptions(
            overwrite: try request.booleanQuery("overwrite", default: false),
            preserveProvider: try request.booleanQuery("preserveProvider", default: true)
        )
        let file = try await MultipartFormData.file(of: request, services: services, what: "the archive")
        let record = try await service.importArchive(file.body, options: options, by: principal)
        // WSO2 answers text unless JSON is asked for; then ImportAPIResponse.
        if request.headers[.accept]?.contains("application/json") == true {
            return JSONResponses.response(ImportAPIResponseDTO(id: record.id, revision: nil))
        }
        return Response.plainText("API imported successfully.")
    }
}

/// WSO2's `ImportAPIResponse`.
struct ImportAPIResponseDTO: Codable, Sendable {
    var id: String
    var revision: String?
}
