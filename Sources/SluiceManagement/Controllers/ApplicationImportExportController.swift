import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceStorage

/// WSO2's devportal `GET /applications/export` (appName, appOwner, withKeys, format: a zip archive) and
/// `POST /applications/import` (a multipart form with the archive as `file`; preserveOwner, appOwner,
/// skipSubscriptions, skipApplicationKeys, update, ignoreTier). The work is ``ApplicationImportExportService``'s.
struct ApplicationImportExportController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    private var service: ApplicationImportExportService {
        ApplicationImportExportService(services: services, logger: logger)
    }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let prefix = DevPortalAPIsController.prefix
        routes.get(prefix + "/applications/export") { request, _ in try await export(request) }
        routes.post(prefix + "/applications/import") { request, _ in try await importArchive(request) }
    }

    private func export(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require(ApplicationImportExportService.scope)
        let (fileName, archive) = try await service.export(
            name: try request.requiredQuery("appName"),
            owner: try request.requiredQuery("appOwner"),
            withKeys: try request.booleanQuery("withKeys", default: false),
            format: try request.exportFormat(),
            by: principal
        )
        return Response.attachment(archive, fileName: fileName, contentType: "application/zip")
    }

    private func importArchive(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require(ApplicationImportExportService.scope)
        var options = ApplicationImportExportService.ImportOptions()
        options.preserveOwner = try request.booleanQuery("preserveOwner", default: false)
        options.appOwner = request.query("appOwner")
        options.skipSubscriptions = try request.booleanQuery("skipSubscriptions", default: false)
        options.skipApplicationKeys = try request.booleanQuery("skipApplicationKeys", default: false)
        options.update = try request.booleanQuery("update", default: false)
        options.ignoreTier = try request.booleanQuery("ignoreTier", default: false)
        let file = try await MultipartFormData.file(of: request, services: services, what: "the archive")
        let result = try await service.importArchive(file.body, options: options, by: principal)
        guard result.skipped.isEmpty else {
            // WSO2's 207: the application is in, these subscriptions are not.
            let skipped = result.skipped.map {
                SkippedAPIDTO(name: $0.apiName, version: $0.version, provider: $0.providerName)
            }
            return JSONResponses.response(ListDTO(skipped), status: HTTPResponse.Status(code: 207, reasonPhrase: "Multi-Status"))
        }
        return JSONResponses.response(
            ImportedApplicationDTO(result.application, subscriptionCount: result.subscriptionCount)
        )
    }
}

/// WSO2's devportal `ApplicationInfo`.
struct ImportedApplicationDTO: Encodable, Sendable {
    var applicationId: String
    var name: String
    var throttlingPolicy: String
    var description: String?
    var status: String
    var subscriptionCount: Int
    var owner: String
    var tokenType: String

    init(_ record: ApplicationRecord, subscriptionCount: Int) {
        applicationId = record.id
        name = record.name
        throttlingPolicy = record.throttlingTier
        description = record.description
        status = record.status
        self.subscriptionCount = subscriptionCount
        owner = record.owner
        tokenType = record.tokenType
    }
}

/// WSO2's `APIInfo` of a subscription an import skipped: the API as the archive names it.
struct SkippedAPIDTO: Encodable, Sendable {
    var name: String
    var version: String
    var provider: String?
}
