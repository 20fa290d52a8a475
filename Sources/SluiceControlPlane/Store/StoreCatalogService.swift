import Foundation
package import SluiceArtifacts
package import SluiceModel
package import SluiceStorage

/// The devportal's catalogue (browse, search, tags, an API's page, ratings, comments), shared by the REST
/// controllers' rules and the Store portal.
package struct StoreCatalogService: Sendable {
    let services: APIManagerServices

    /// Creates the service.
    package init(services: APIManagerServices) {
        self.services = services
    }

    /// How a list of APIs is ordered.
    package enum Order: String, Sendable, CaseIterable {
        case name
        case newest
        case rating
    }

    /// An API in a list with its average rating.
    package struct Listing: Sendable {
        package var api: APIRecord
        package var rating: Double
    }

    /// Everything an API's Store page shows.
    package struct APIPage: Sendable {
        package var api: APIRecord
        package var definition: APIDefinition
        /// The subscription tiers the API offers.
        package var tiers: [String]
        package var documents: [APIDocumentRecord]
        package var rating: APIRatingSummary
        /// The caller's own rating.
        package var userRating: Int?
        /// Oldest first.
        package var comments: [APICommentRecord]
        /// Whether new subscriptions are taken (published APIs only).
        package var isSubscribable: Bool
    }

    /// The states the Store lists when browsing: deprecated APIs keep their page for existing subscribers
    /// but no longer appear in lists.
    package static let browsableStates: Set<APILifecycleState> = [.published, .prototyped]

    /// Browsable APIs the caller may see that match a WSO2 search (`name:`, `tag:`, `provider:`, bare words
    /// match the name).
    /// - Throws: ``ManagementError`` 400 for a query with an unknown attribute.
    package func browse(query: String, order: Order, principal: Principal?) async throws -> [Listing] {
        let search = try APISearchQuery(query, work: services.searchWork)
        let ratings = try await ratingAverages()
        var apis = try await visibleAPIs(in: Self.browsableStates, to: principal).filter(search.matches)
        switch order {
        case .name: apis.sort { ($0.name.lowercased(), $0.version) < ($1.name.lowercased(), $1.version) }
        case .newest: apis.sort { $0.createdAt > $1.createdAt }
        case .rating: apis.sort { (ratings[$0.id] ?? 0, $1.name) > (ratings[$1.id] ?? 0, $0.name) }
        }
        return apis.map { Listing(api: $0, rating: ratings[$0.id] ?? 0) }
    }

    /// The tags of the browsable APIs the caller may see, with how many APIs carry each, by name.
    package func tags(principal: Principal?) async throws -> [(tag: String, count: Int)] {
        try await tagCounts(in: Self.browsableStates, principal: principal)
            .sorted { $0.tag.lowercased() < $1.tag.lowercased() }
    }

    /// How the devportal REST API orders its list (`sortBy`).
    package enum ListedOrder: String, Sendable {
        /// By name, then version.
        case name
        case newest
        /// Top rated first.
        case rating
        /// Most used first.
        case usage
    }

    /// The APIs the devportal lists (published, prototyped and deprecated) that the caller may see and that match
    /// `search`.
    package func listedAPIs(
        matching search: APISearchQuery,
        order: ListedOrder,
        principal: Principal?
    ) async throws -> [Listing] {
        let ratings = try await ratingAverages()
        var apis = try await visibleAPIs(in: DevPortalSupport.listedStates, to: principal).filter(search.matches)
        switch order {
        case .name:
            break
        case .newest:
            apis.sort { $0.createdAt > $1.createdAt }
        case .rating:
            apis.sort { (ratings[$0.id] ?? 0, $1.name) > (ratings[$1.id] ?? 0, $0.name) }
        case .usage:
            let filter = UsageStatistics.Filter(from: 0, to: Int64(Date().timeIntervalSince1970 * 1000) + 1)
            let rows = try await services.storage.usageStatistics(groupedBy: .version, filter: filter)
            let counts = Dictionary(rows.map { ($0.key, $0.requestCount) }, uniquingKeysWith: +)
            func count(_ api: APIRecord) -> Int { UsageNaming.count(api, in: counts) }
            apis.sort { (count($0), $1.name) > (count($1), $0.name) }
        }
        return apis.map { Listing(api: $0, rating: ratings[$0.id] ?? 0) }
    }

    /// The tags of the APIs the devportal lists to the caller, with how many APIs carry each, by tag.
    package func listedTags(principal: Principal?) async throws -> [(tag: String, count: Int)] {
        try await tagCounts(in: DevPortalSupport.listedStates, principal: principal).sorted { $0.tag < $1.tag }
    }

    /// An API's page.
    /// - Throws: ``ManagementError`` 404 when the API does not exist or the caller may not see it.
    package func page(apiID: String, principal: Principal?) async throws -> APIPage {
        let api = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        let definition = api.stored.definition
        var own: Int?
        if let principal { own = try await services.storage.rating(apiID: apiID, username: principal.username) }
        return APIPage(
            api: api,
            definition: definition,
            tiers: definition.offeredTiers,
            documents: try await services.storage.documents(apiID: apiID).filter { $0.visibility == "API_LEVEL" },
            rating: try await services.storage.ratingSummary(apiID: apiID),
            userRating: own,
            comments: try await services.storage.comments(apiID: apiID).sorted { $0.createdAt < $1.createdAt },
            isSubscribable: api.lifecycleState == .published
        )
    }

    /// The OpenAPI 3 document of an API the caller may see.
    /// - Throws: ``ManagementError`` 404 when the caller may not see the API.
    package func openAPIDocument(apiID: String, principal: Principal?) async throws -> Data {
        let api = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        return APIOpenAPIDefinition.document(for: api.stored.definition)
    }

    /// An API's ratings: the average and count, and the caller's own rating when signed in.
    /// - Throws: ``ManagementError`` 404 when the caller may not see the API.
    package func ratings(apiID: String, principal: Principal?) async throws -> (summary: APIRatingSummary, own: Int?) {
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        let summary = try await services.storage.ratingSummary(apiID: apiID)
        var own: Int?
        if let principal { own = try await services.storage.rating(apiID: apiID, username: principal.username) }
        return (summary, own)
    }

    /// The caller's rating of an API.
    /// - Throws: ``ManagementError`` 403 without `apim:subscribe`, 404 when the caller may not see the API or
    ///   has not rated it.
    package func rating(apiID: String, principal: Principal) async throws -> Int {
        try principal.require("apim:subscribe")
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        guard let rating = try await services.storage.rating(apiID: apiID, username: principal.username) else {
            throw ManagementError.notFound("You have not rated API \(apiID)")
        }
        return rating
    }

    /// The page of an API that still exists; nil when it was deleted (a subscription may outlive its API).
    /// - Throws: ``ManagementError`` 404 when the caller may not see the API.
    package func existingPage(apiID: String, principal: Principal?) async throws -> APIPage? {
        guard try await services.storage.api(id: apiID) != nil else { return nil }
        return try await page(apiID: apiID, principal: principal)
    }

    /// Rates an API 1 to 5 (again: replaces the caller's rating).
    /// - Throws: ``ManagementError`` 403 without `apim:subscribe`, 400 outside 1...5, 404.
    package func rate(apiID: String, rating: Int, principal: Principal) async throws {
        try principal.require("apim:subscribe")
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        guard (1...5).contains(rating) else { throw ManagementError.badRequest("rating must be an integer from 1 to 5") }
        try await services.storage.setRating(apiID: apiID, username: principal.username, rating: rating, at: Date())
    }

    /// Takes back the caller's rating.
    /// - Throws: ``ManagementError`` 403 without `apim:subscribe`, 404 when the caller may not see the API or
    ///   has not rated it.
    package func unrate(apiID: String, principal: Principal) async throws {
        try principal.require("apim:subscribe")
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        guard try await services.storage.deleteRating(apiID: apiID, username: principal.username) else {
            throw ManagementError.notFound("You have not rated API \(apiID)")
        }
    }

    /// The comments of an API, as stored.
    /// - Throws: ``ManagementError`` 404 when the caller may not see the API.
    package func comments(apiID: String, principal: Principal?) async throws -> [APICommentRecord] {
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        return try await services.storage.comments(apiID: apiID)
    }

    /// Adds a comment, or a reply to one of the API's comments.
    /// - Throws: ``ManagementError`` 403 without `apim:subscribe`, 400 for empty or over-long text or an unknown
    ///   parent, 404.
    @discardableResult
    package func comment(
        apiID: String,
        content: String,
        parentID: String? = nil,
        principal: Principal
    ) async throws -> APICommentRecord {
        try principal.require("apim:subscribe")
        return try await APICommentService(services: services, portal: .devportal)
            .add(apiID: apiID, content: content, parentID: parentID, principal: principal)
    }

    /// Deletes a comment: its author or an administrator may.
    /// - Throws: ``ManagementError`` 403 for someone else's comment, 404 for an unknown one.
    package func deleteComment(apiID: String, commentID: String, principal: Principal) async throws {
        try principal.require("apim:subscribe")
        try await APICommentService(services: services, portal: .devportal)
            .delete(apiID: apiID, commentID: commentID, principal: principal)
    }

    /// The APIs in `states` the caller may see. Storage loads only those states, and only public APIs for an
    /// anonymous caller.
    private func visibleAPIs(in states: Set<APILifecycleState>, to principal: Principal?) async throws -> [APIRecord] {
        let filter = APIFilter(states: states, visibilities: principal == nil ? ["PUBLIC"] : nil)
        return try await services.storage.apis(matching: filter).filter { DevPortalSupport.isVisible($0, to: principal) }
    }

    private func tagCounts(in states: Set<APILifecycleState>, principal: Principal?) async throws
        -> [(tag: String, count: Int)]
    {
        var counts: [String: Int] = [:]
        for api in try await visibleAPIs(in: states, to: principal) {
            for tag in api.tags { counts[tag, default: 0] += 1 }
        }
        return counts.map { (tag: $0.key, count: $0.value) }
    }

    private func ratingAverages() async throws -> [String: Double] {
        Dictionary(
            try await services.storage.ratingSummaries().map { ($0.apiID, $0.average) },
            uniquingKeysWith: { first, _ in first }
        )
    }
}
