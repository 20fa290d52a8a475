import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// `/api/am/devportal/v3`: the store's API list, search, tags, details, ratings and comments.
struct DevPortalAPIsController: Sendable {
    static let prefix = "/api/am/devportal/v3"

    let services: APIManagerServices
    let logger: Logger

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let prefix = Self.prefix
        routes.get("\(prefix)/apis") { request, _ in try await list(request) }
        routes.get("\(prefix)/search") { request, _ in try await list(request) }
        routes.get("\(prefix)/tags") { request, _ in try await tags(request) }
        routes.get("\(prefix)/apis/:apiId") { request, context in
            try await detail(request, context.parameters.path("apiId"))
        }
        routes.get("\(prefix)/apis/:apiId/ratings") { request, context in
            try await ratings(request, context.parameters.path("apiId"))
        }
        routes.get("\(prefix)/apis/:apiId/user-rating") { request, context in
            try await userRating(request, context.parameters.path("apiId"))
        }
        routes.put("\(prefix)/apis/:apiId/user-rating") { request, context in
            try await rate(request, context.parameters.path("apiId"))
        }
        routes.delete("\(prefix)/apis/:apiId/user-rating") { request, context in
            try await unrate(request, context.parameters.path("apiId"))
        }
        routes.get("\(prefix)/apis/:apiId/comments") { request, context in
            try await comments(request, context.parameters.path("apiId"))
        }
        routes.post("\(prefix)/apis/:apiId/comments") { request, context in
            try await addComment(request, context.parameters.path("apiId"))
        }
        routes.delete("\(prefix)/apis/:apiId/comments/:commentId") { request, context in
            try await deleteComment(request, context.parameters.path("apiId"), context.parameters.path("commentId"))
        }
    }

    // MARK: - Listing

    /// `sortBy`: `name` (default), `newest`, `rating` (top rated) or `usage` (most used).
    private func list(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.optionalPrincipal(for: request)
        let page = try request.pagination()
        let search = try APISearchQuery(request.query("query") ?? "")
        let ratings = Dictionary(
            try await services.storage.ratingSummaries().map { ($0.apiID, $0.average) },
            uniquingKeysWith: { first, _ in first }
        )
        var apis = try await services.storage.apis().filter {
            DevPortalSupport.isVisible($0, to: principal) && search.matches($0)
        }
        switch request.query("sortBy") ?? "name" {
        case "name":
            break
        case "newest":
            apis.sort { $0.createdAt > $1.createdAt }
        case "rating":
            apis.sort { (ratings[$0.id] ?? 0, $1.name) > (ratings[$1.id] ?? 0, $0.name) }
        case "usage":
            let filter = UsageStatistics.Filter(from: 0, to: Int64(Date().timeIntervalSince1970 * 1000) + 1)
            let rows = try await services.storage.usageStatistics(groupedBy: .version, filter: filter)
            let counts = Dictionary(rows.map { ($0.key, $0.requestCount) }, uniquingKeysWith: +)
            func count(_ api: APIRecord) -> Int { UsageNaming.count(api, in: counts) }
            apis.sort { (count($0), $1.name) > (count($1), $0.name) }
        case let other:
            throw ManagementError.badRequest("Unknown sortBy '\(other)'; use name, newest, rating or usage")
        }
        return JSONResponses.response(
            ListDTO(apis.map { DevPortalAPIInfoDTO(record: $0, rating: ratings[$0.id] ?? 0) }, page: page)
        )
    }

    private func tags(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.optionalPrincipal(for: request)
        var counts: [String: Int] = [:]
        for api in try await services.storage.apis() where DevPortalSupport.isVisible(api, to: principal) {
            for tag in api.tags { counts[tag, default: 0] += 1 }
        }
        let tags = counts.map { TagDTO(value: $0.key, count: $0.value) }.sorted { $0.value < $1.value }
        return JSONResponses.response(ListDTO(tags))
    }

    private func detail(_ request: Request, _ apiID: String) async throws -> Response {
        let api = try await DevPortalSupport.visibleAPI(apiID, request: request, services: services)
        let documents = try await services.storage.documents(apiID: apiID).filter { $0.visibility == "API_LEVEL" }
        return JSONResponses.response(
            DevPortalAPIDTO(
                record: api,
                rating: try await services.storage.ratingSummary(apiID: apiID),
                documents: documents
            )
        )
    }

    // MARK: - Ratings

    private func ratings(_ request: Request, _ apiID: String) async throws -> Response {
        let principal = try await services.authenticator.optionalPrincipal(for: request)
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        let summary = try await services.storage.ratingSummary(apiID: apiID)
        var own: Int?
        if let principal { own = try await services.storage.rating(apiID: apiID, username: principal.username) }
        return JSONResponses.response(RatingListDTO(avgRating: summary.average, userRating: own, count: summary.count))
    }

    private func userRating(_ request: Request, _ apiID: String) async throws -> Response {
        let principal = try await subscriber(request)
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        guard let rating = try await services.storage.rating(apiID: apiID, username: principal.username) else {
            throw ManagementError.notFound("You have not rated API \(apiID)")
        }
        return JSONResponses.response(
            RatingDTO(ratingId: nil, apiId: apiID, ratedBy: principal.username, rating: rating)
        )
    }

    private func rate(_ request: Request, _ apiID: String) async throws -> Response {
        let principal = try await subscriber(request)
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        let dto = try await services.decoder.decode(
            RatingDTO.self,
            from: request,
            readOnlyFields: ["ratingId", "apiId", "ratedBy"]
        )
        guard (1...5).contains(dto.rating) else {
            throw ManagementError.badRequest("rating must be an integer from 1 to 5")
        }
        try await services.storage.setRating(apiID: apiID, username: principal.username, rating: dto.rating, at: Date())
        return JSONResponses.response(
            RatingDTO(ratingId: nil, apiId: apiID, ratedBy: principal.username, rating: dto.rating)
        )
    }

    private func unrate(_ request: Request, _ apiID: String) async throws -> Response {
        let principal = try await subscriber(request)
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        guard try await services.storage.deleteRating(apiID: apiID, username: principal.username) else {
            throw ManagementError.notFound("You have not rated API \(apiID)")
        }
        return JSONResponses.empty()
    }

    // MARK: - Comments

    private func comments(_ request: Request, _ apiID: String) async throws -> Response {
        _ = try await DevPortalSupport.visibleAPI(apiID, request: request, services: services)
        let comments = try await services.storage.comments(apiID: apiID)
        return JSONResponses.response(ListDTO(comments.map(CommentDTO.init), page: try request.pagination()))
    }

    private func addComment(_ request: Request, _ apiID: String) async throws -> Response {
        let principal = try await subscriber(request)
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        let dto = try await services.decoder.decode(
            CommentDTO.self,
            from: request,
            readOnlyFields: CommentDTO.readOnlyFields
        )
        let content = dto.content.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !content.isEmpty, content.count <= 4_000 else {
            throw ManagementError.badRequest("content must be 1 to 4000 characters")
        }
        if let parent = dto.parentCommentId,
            try await !services.storage.comments(apiID: apiID).contains(where: { $0.id == parent })
        {
            throw ManagementError.badRequest("parentCommentId \(parent) is not a comment of this API")
        }
        let record = APICommentRecord(
            id: UUID().uuidString.lowercased(),
            apiID: apiID,
            parentID: dto.parentCommentId,
            username: principal.username,
            content: content,
            createdAt: Date()
        )
        try await services.storage.addComment(record)
        return JSONResponses.response(
            CommentDTO(record),
            status: .created,
            headers: [.location: "\(Self.prefix)/apis/\(apiID)/comments/\(record.id)"]
        )
    }

    private func deleteComment(_ request: Request, _ apiID: String, _ commentID: String) async throws -> Response {
        let principal = try await subscriber(request)
        guard let comment = try await services.storage.comments(apiID: apiID).first(where: { $0.id == commentID })
        else {
            throw ManagementError.notFound("Comment \(commentID) not found")
        }
        guard comment.username.caseInsensitiveCompare(principal.username) == .orderedSame || principal.isAdministrator
        else {
            throw ManagementError.forbidden("Only the author or an administrator may delete a comment")
        }
        _ = try await services.storage.deleteComment(apiID: apiID, id: commentID)
        return JSONResponses.empty()
    }

    /// A caller allowed to rate and comment (`apim:subscribe`).
    private func subscriber(_ request: Request) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:subscribe")
        return principal
    }
}
