import Foundation
import Hummingbird
import Logging
import SluiceControlPlane

/// WSO2's `GET /api-products/export` (name, version, providerName; revisionNumber or latestRevision; format YAML or
/// JSON; preserveStatus) and `POST /api-products/import` (a multipart form with the archive as `file`;
/// preserveProvider, rotateRevision, importAPIs, overwriteAPIProduct, overwriteAPIs). The work is
/// ``APIProductImportExportService``'s.
struct APIProductImportExportController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    private var service: APIProductImportExportService {
        APIProductImportExportService(services: services, logger: logger)
    }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        routes.get(APIProductsController.path + "/export") { request, _ in try await export(request) }
        routes.post(APIProductsController.path + "/import") { request, _ in try await importArchive(request) }
    }

    private func export(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(APIProductImportExportService.exportScopes)
        var revisionNumber: Int?
        if let text = request.query("revisionNumber") {
            guard let number = Int(text), number > 0 else {
                throw ManagementError.badRequest("revisionNumber must be a positive integer")
            }
            revisionNumber = number
        }
        let (fileName, archive) = try await service.export(
            APIProductImportExportService.Selection(
                name: request.query("name"),
                version: request.query("version"),
                provider: request.query("providerName"),
                revisionNumber: revisionNumber,
                latestRevision: try request.booleanQuery("latestRevision", default: false)
            ),
            format: try request.exportFormat(),
            preserveStatus: try request.booleanQuery("preserveStatus", default: true),
            by: principal
        )
        return Response.attachment(archive, fileName: fileName, contentType: "application/zip")
    }

    private func importArchive(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(APIProductImportExportService.importScopes)
        let options = APIProductImportExportService.ImportOptions(
            preserveProvider: try request.booleanQuery("preserveProvider", default: true),
            rotateRevision: try request.booleanQuery("rotateRevision", default: false),
            importAPIs: try request.booleanQuery("importAPIs", default: false),
            overwriteAPIProduct: try request.booleanQuery("overwriteAPIProduct", default: false),
            overwriteAPIs: try request.booleanQuery("overwriteAPIs", default: false)
        )
        let file = try await MultipartFormData.file(of: request, services: services, what: "the archive")
        _ = try await service.importArchive(file.body, options: options, by: principal)
        // WSO2 answers text.
        return Response.plainText("API Product imported successfully.")
    }
}
