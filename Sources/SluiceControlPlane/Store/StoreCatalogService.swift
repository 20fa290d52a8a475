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
        let search = try APISearchQuery(query)
        let ratings = try await ratingAverages()
        var apis = try await services.storage.apis().filter {
            Self.browsableStates.contains($0.lifecycleState) && DevPortalSupport.isVisible($0, to: principal)
                && search.matches($0)
        }
        switch order {
        case .name: apis.sort { ($0.name.lowercased(), $0.version) < ($1.name.lowercased(), $1.version) }
        case .newest: apis.sort { $0.createdAt > $1.createdAt }
        case .rating: apis.sort { (ratings[$0.id] ?? 0, $1.name) > (ratings[$1.id] ?? 0, $0.name) }
        }
        return apis.map { Listing(api: $0, rating: ratings[$0.id] ?? 0) }
    }

    /// The tags of the browsable APIs the caller may see, with how many APIs carry each, by name.
    package func tags(principal: Principal?) async throws -> [(tag: String, count: Int)] {
        var counts: [String: Int] = [:]
        for api in try await services.storage.apis()
        where Self.browsableStates.contains(api.lifecycleState) && DevPortalSupport.isVisible(api, to: principal) {
            for tag in api.tags { counts[tag, default: 0] += 1 }
        }
        return counts.map { (tag: $0.key, count: $0.value) }.sorted { $0.tag.lowercased() < $1.tag.lowercased() }
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

    /// Rates an API 1 to 5 (again: replaces the caller's rating).
    /// - Throws: ``ManagementError`` 403 without `apim:subscribe`, 400 outside 1...5, 404.
    package func rate(apiID: String, rating: Int, principal: Principal) async throws {
        try principal.require("apim:subscribe")
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        guard (1...5).contains(rating) else { throw ManagementError.badRequest("rating must be an integer from 1 to 5") }
        try await services.storage.setRating(apiID: apiID, username: principal.username, rating: rating, at: Date())
    }

    /// Adds a comment.
    /// - Throws: ``ManagementError`` 403 without `apim:subscribe`, 400 for empty or over-long text, 404.
    @discardableResult
    package func comment(apiID: String, content: String, principal: Principal) async throws -> APICommentRecord {
        try principal.require("apim:subscribe")
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        let text = content.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 4_000 else {
            throw ManagementError.badRequest("content must be 1 to 4000 characters")
        }
        let record = APICommentRecord(
            id: UUID().uuidString.lowercased(),
            apiID: apiID,
            parentID: nil,
            username: principal.username,
            content: text,
            createdAt: Date()
        )
        try await services.storage.addComment(record)
        return record
    }

    private func ratingAverages() async throws -> [String: Double] {
        Dictionary(
            try await services.storage.ratingSummaries().map { ($0.apiID, $0.average) },
            uniquingKeysWith: { first, _ in first }
        )
    }
}
