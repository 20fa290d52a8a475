import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// `/api/am/devportal/v3`: the store's API list, search, tags, details and ratings (comments: ``APICommentsController``).
struct DevPortalAPIsController: Sendable {
    static let prefix = "/api/am/devportal/v3"

    let services: APIManagerServices
    let logger: Logger

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let prefix = Self.prefix
        routes.get("\(prefix)/apis") { request, _ in try await list(request) }
        routes.get("\(prefix)/search") { request, _ in try await search(request) }
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
    }

    private var catalog: StoreCatalogService { StoreCatalogService(services: services) }

    // MARK: - Listing

    /// `sortBy`: `name` (default), `newest`, `rating` (top rated) or `usage` (most used).
    private func list(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.optionalPrincipal(for: request)
        let page = try request.pagination()
        let search = try APISearchQuery(request.query("query") ?? "", work: services.searchWork)
        let sortBy = request.query("sortBy") ?? "name"
        guard let order = StoreCatalogService.ListedOrder(rawValue: sortBy) else {
            throw ManagementError.badRequest("Unknown sortBy '\(sortBy)'; use name, newest, rating or usage")
        }
        let listings = try await catalog.listedAPIs(matching: search, order: order, principal: principal)
        return JSONResponses.response(
            ListDTO(listings.map { DevPortalAPIInfoDTO(record: $0.api, rating: $0.rating) }, page: page)
        )
    }

    /// WSO2's unified search: the APIs `list` finds, as `APISearchResult` items.
    private func search(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.optionalPrincipal(for: request)
        let search = try APISearchQuery(request.query("query") ?? "", work: services.searchWork)
        let listings = try await catalog.listedAPIs(matching: search, order: .name, principal: principal)
        return JSONResponses.response(
            ListDTO(listings.map { APISearchResultDTO(record: $0.api) }, page: try request.pagination())
        )
    }

    private func tags(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.optionalPrincipal(for: request)
        let tags = try await catalog.listedTags(principal: principal)
        return JSONResponses.response(ListDTO(tags.map { TagDTO(value: $0.tag, count: $0.count) }))
    }

    private func detail(_ request: Request, _ apiID: String) async throws -> Response {
        let principal = try await services.authenticator.optionalPrincipal(for: request)
        let page = try await catalog.page(apiID: apiID, principal: principal)
        let plans = try await services.tiers(.subscription).reduce(into: [String: String]()) {
            $0[$1.name] = $1.billingPlan ?? "FREE"
        }
        return JSONResponses.response(
            DevPortalAPIDTO(record: page.api, rating: page.rating, documents: page.documents, plans: plans)
        )
    }

    // MARK: - Ratings

    private func ratings(_ request: Request, _ apiID: String) async throws -> Response {
        let principal = try await services.authenticator.optionalPrincipal(for: request)
        let ratings = try await catalog.ratings(apiID: apiID, principal: principal)
        return JSONResponses.response(
            RatingListDTO(avgRating: String(ratings.summary.average), userRating: ratings.own, count: ratings.summary.count)
        )
    }

    private func userRating(_ request: Request, _ apiID: String) async throws -> Response {
        let principal = try await subscriber(request)
        let rating = try await catalog.rating(apiID: apiID, principal: principal)
        return JSONResponses.response(RatingDTO(ratingId: nil, apiId: apiID, ratedBy: principal.username, rating: rating))
    }

    private func rate(_ request: Request, _ apiID: String) async throws -> Response {
        let principal = try await subscriber(request)
        let dto = try await services.decoder.decode(
            RatingDTO.self,
            from: request,
            readOnlyFields: ["ratingId", "apiId", "ratedBy"]
        )
        try await catalog.rate(apiID: apiID, rating: dto.rating, principal: principal)
        return JSONResponses.response(
            RatingDTO(ratingId: nil, apiId: apiID, ratedBy: principal.username, rating: dto.rating)
        )
    }

    private func unrate(_ request: Request, _ apiID: String) async throws -> Response {
        let principal = try await subscriber(request)
        try await catalog.unrate(apiID: apiID, principal: principal)
        return JSONResponses.empty()
    }

    /// A caller allowed to rate and comment (`apim:subscribe`).
    private func subscriber(_ request: Request) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:subscribe")
        return principal
    }
}
