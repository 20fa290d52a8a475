import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceStorage

/// Thumbnails (publisher `PUT|GET /apis/{apiId}/thumbnail`, devportal `GET`), API categories (admin CRUD, the
/// publisher's and devportal's lists) and labels (admin CRUD and usage, the publisher's list, an API's labels,
/// attach and detach). Rules live in ``APICatalogService``.
struct APICatalogController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    static let thumbnailReadScopes = ["apim:api_view", "apim:api_manage"]
    static let apiEditScopes = ["apim:api_create", "apim:api_manage", "apim:api_publish"]
    static let categoryAdminScopes = ["apim:admin", "apim:admin_operations", "apim:api_category"]
    static let publisherListScopes = ["apim:api_view", "apim:api_manage"]

    /// WSO2's `APICategory` and `Label` (requests and answers).
    struct GroupingDTO: Codable, Sendable {
        static let readOnlyFields: Set<String> = ["id", "numberOfAPIs"]
        var id: String?
        var name: String
        var description: String?
        var numberOfAPIs: Int?

        init(_ record: APIGroupingRecord, apiCount: Int? = nil) {
            id = record.id
            name = record.name
            description = record.description
            numberOfAPIs = apiCount
        }
    }

    /// WSO2's `RequestLabelList`.
    struct LabelReferencesDTO: Codable, Sendable {
        var labels: [String]
    }

    private var catalog: APICatalogService { APICatalogService(services: services) }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let publisher = PublisherAPIsController.prefix
        let devportal = DevPortalAPIsController.prefix
        let admin = AdminController.prefix
        routes.get("\(publisher)/apis/:apiId/thumbnail") { request, context in
            try await caller(request, Self.thumbnailReadScopes)
            return Self.image(try await catalog.thumbnail(apiID: context.parameters.path("apiId")), request)
        }
        routes.put("\(publisher)/apis/:apiId/thumbnail") { request, context in
            try await caller(request, Self.apiEditScopes)
            return try await storeThumbnail(request, apiID: context.parameters.path("apiId"), kind: "apis")
        }
        routes.get("\(devportal)/apis/:apiId/thumbnail") { request, context in
            let principal = try await services.authenticator.optionalPrincipal(for: request)
            return Self.image(try await catalog.visibleThumbnail(apiID: context.parameters.path("apiId"), principal: principal), request)
        }
        routes.get("\(publisher)/api-categories") { request, _ in
            try await caller(request, Self.publisherListScopes)
            return try await list(.category, counted: false)
        }
        routes.get("\(devportal)/api-categories") { request, _ in
            _ = try await services.authenticator.optionalPrincipal(for: request)
            return try await list(.category, counted: false)
        }
        routes.get("\(publisher)/labels") { request, _ in
            try await caller(request, Self.publisherListScopes)
            return try await list(.label, counted: false)
        }
        addAdminRoutes(to: routes, base: "\(admin)/api-categories", kind: .category, scopes: Self.categoryAdminScopes)
        addAdminRoutes(to: routes, base: "\(admin)/labels", kind: .label, scopes: ["apim:admin"])
        routes.get("\(admin)/labels/:labelId/usage") { request, context in
            try await caller(request, ["apim:admin"])
            let apis = try await catalog.apis(using: context.parameters.path("labelId"), kind: .label)
            let list = apis.map { ["provider": $0.provider, "name": $0.name, "version": $0.version, "id": $0.id] }
            return JSONResponses.response(UsageDTO(apis: .init(count: list.count, list: list)))
        }
        routes.get("\(publisher)/apis/:apiId/labels") { request, context in
            try await caller(request, ["apim:api_view"] + Self.apiEditScopes)
            return JSONResponses.response(ListDTO(try await catalog.attached(.label, apiID: context.parameters.path("apiId")).map { GroupingDTO($0) }))
        }
        for (action, detaching) in [("attach-labels", false), ("detach-labels", true)] {
            routes.post("\(publisher)/apis/:apiId/\(action)") { request, context in
                try await caller(request, Self.apiEditScopes)
                let dto = try await services.decoder.decode(LabelReferencesDTO.self, from: request)
                let labels = try await catalog.attach(.label, dto.labels, apiID: context.parameters.path("apiId"), detaching: detaching)
                return JSONResponses.response(ListDTO(labels.map { GroupingDTO($0) }))
            }
        }
    }

    /// Stores the thumbnail of WSO2's form (`file`) for the API or product `apiID` (`kind`: `apis` or
    /// `api-products`, for the answer's `relativePath`).
    func storeThumbnail(_ request: Request, apiID: String, kind: String) async throws -> Response {
        let form = try await MultipartFormData.read(request, services: services, expected: "a file part")
        guard let file = form.parts.first(where: { $0.name == "file" }) else {
            throw ManagementError.badRequest("The form has no file part")
        }
        let stored = try await catalog.setThumbnail(apiID: apiID, data: file.body)
        return JSONResponses.response(["relativePath": "\(kind)/\(apiID)/thumbnail", "mediaType": stored.contentType])
    }

    /// WSO2's `LabelUsage`.
    struct UsageDTO: Encodable, Sendable {
        struct APIs: Encodable, Sendable {
            var count: Int
            var list: [[String: String]]
        }
        var apis: APIs
    }

    private func addAdminRoutes<Context: RequestContext>(
        to routes: RouteRegistrar<Context>, base: String, kind: APIGroupingRecord.Kind, scopes: [String]
    ) {
        let parameter = kind == .category ? "apiCategoryId" : "labelId"
        routes.get(base) { request, _ in
            try await caller(request, scopes)
            return try await list(kind, counted: true)
        }
        routes.post(base) { request, _ in
            try await caller(request, scopes)
            let dto = try await services.decoder.decode(GroupingDTO.self, from: request, readOnlyFields: GroupingDTO.readOnlyFields)
            let created = try await catalog.create(kind, name: dto.name, description: dto.description)
            return JSONResponses.response(GroupingDTO(created, apiCount: kind == .category ? 0 : nil), status: .created)
        }
        routes.put("\(base)/:\(parameter)") { request, context in
            try await caller(request, scopes)
            let dto = try await services.decoder.decode(GroupingDTO.self, from: request, readOnlyFields: GroupingDTO.readOnlyFields)
            let updated = try await catalog.update(
                kind, id: context.parameters.path(parameter), name: dto.name, description: dto.description
            )
            return JSONResponses.response(GroupingDTO(updated))
        }
        routes.delete("\(base)/:\(parameter)") { request, context in
            try await caller(request, scopes)
            try await catalog.delete(kind, id: context.parameters.path(parameter))
            return JSONResponses.empty()
        }
    }

    private func list(_ kind: APIGroupingRecord.Kind, counted: Bool) async throws -> Response {
        let found = try await catalog.groupings(kind)
        return JSONResponses.response(
            ListDTO(found.map { GroupingDTO($0.grouping, apiCount: counted && kind == .category ? $0.apiCount : nil) })
        )
    }

    @discardableResult
    private func caller(_ request: Request, _ scopes: [String]) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(scopes)
        return principal
    }

    /// The image with its type, an ETag (the upload's time and size: each upload stores a new time), and 304 to
    /// a matching `If-None-Match`.
    static func image(_ thumbnail: APIThumbnail, _ request: Request) -> Response {
        let tag = "\"\(Int64(thumbnail.updatedAt.timeIntervalSince1970 * 1_000))-\(thumbnail.data.count)\""
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces) == tag || $0.trimmingCharacters(in: .whitespaces) == "*"
        }) {
            return Response(status: .notModified, headers: [.eTag: tag])
        }
        var headers: HTTPFields = [.contentType: thumbnail.contentType, .eTag: tag]
        if let nosniff = HTTPField.Name("X-Content-Type-Options") { headers[nosniff] = "nosniff" }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: thumbnail.data)))
    }
}
