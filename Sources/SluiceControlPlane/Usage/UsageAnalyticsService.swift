import SluiceArtifacts
import SluiceModel
package import SluiceStorage

/// Who sees which analytics: a creator the calls of the APIs they created, a publisher (who manages every API's
/// lifecycle) and an administrator every API; the admin view every API; a subscriber the calls of their own
/// application. The logic behind the three analytics
/// REST resources and the Publisher, Admin and Store pages.
package struct UsageAnalyticsService: Sendable {
    let services: APIManagerServices

    /// Creates the service.
    package init(services: APIManagerServices) {
        self.services = services
    }

    /// What a report covers besides its range.
    package struct Selection: Sendable, Hashable {
        /// One API version (its id); nil: every API the caller may see.
        package var apiID: String?
        /// One application (its id); nil: every application.
        package var applicationID: String?

        /// Creates a selection.
        package init(apiID: String? = nil, applicationID: String? = nil) {
            self.apiID = apiID
            self.applicationID = applicationID
        }
    }

    /// The Publisher's analytics: the calls to the caller's own APIs, or to every API for a publisher or an
    /// administrator.
    /// - Throws: ``ManagementError`` 403 without `apim:api_view`, 404 for an API the caller does not provide,
    ///   400 for a bad range.
    package func publisherReport(
        _ selection: Selection,
        from: Int64,
        to: Int64,
        buckets: Int,
        by principal: Principal
    ) async throws -> UsageAnalytics.Report {
        try principal.require("apim:api_view")
        let provider = Self.seesEveryAPI(principal) ? nil : principal.username
        return try await report(selection, provider: provider, from: from, to: to, buckets: buckets)
    }

    /// Whether the Publisher's analytics show `principal` every API (publishers and administrators) rather than
    /// the APIs they created.
    package static func seesEveryAPI(_ principal: Principal) -> Bool {
        principal.isAdministrator || principal.has("apim:api_publish")
    }

    /// The APIs whose analytics `principal` may filter by in the Publisher (`everyAPI`: the admin view's), by
    /// name and version.
    package func selectableAPIs(by principal: Principal, everyAPI: Bool = false) async throws -> [APIRecord] {
        try await services.storage.apis()
            .filter {
                everyAPI || Self.seesEveryAPI(principal)
                    || $0.provider.caseInsensitiveCompare(principal.username) == .orderedSame
            }
            .sorted { ($0.name, $0.version) < ($1.name, $1.version) }
    }

    /// The admin-wide analytics: every API.
    /// - Throws: ``ManagementError`` 403 without `apim:admin`, 404 for an unknown API, 400 for a bad range.
    package func adminReport(
        _ selection: Selection,
        from: Int64,
        to: Int64,
        buckets: Int,
        by principal: Principal
    ) async throws -> UsageAnalytics.Report {
        try principal.require("apim:admin")
        return try await report(selection, provider: nil, from: from, to: to, buckets: buckets)
    }

    /// The analytics of one of the caller's applications (optionally one API version of its calls).
    /// - Throws: ``ManagementError`` 404 for another user's application or an unknown API, 400 for a bad range.
    package func applicationReport(
        applicationID: String,
        apiID: String?,
        from: Int64,
        to: Int64,
        buckets: Int,
        by principal: Principal
    ) async throws -> UsageAnalytics.Report {
        _ = try await SubscriberService(services: services).application(applicationID, principal: principal)
        return try await report(
            Selection(apiID: apiID, applicationID: applicationID), provider: nil, from: from, to: to, buckets: buckets
        )
    }

    private func report(
        _ selection: Selection,
        provider: String?,
        from: Int64,
        to: Int64,
        buckets: Int
    ) async throws -> UsageAnalytics.Report {
        var filter = UsageStatistics.Filter(from: from, to: to, applicationID: selection.applicationID)
        if let provider {
            filter.apiProvider = ArtifactNaming.providerToken(provider)
        }
        if let apiID = selection.apiID {
            let api = try await PublisherSupport.api(apiID, services)
            if let provider, api.provider.caseInsensitiveCompare(provider) != .orderedSame {
                throw ManagementError.notFound("API \(apiID) not found")
            }
            filter.apiName = try await UsageNaming.storedName(api, from: from, to: to, storage: services.storage)
            filter.apiVersion = api.version
            // Calls stored under the plain name carry no provider.
            if filter.apiName == api.name { filter.apiProvider = nil }
        }
        return try await UsageAnalytics.report(filter: filter, buckets: buckets, storage: services.storage)
    }
}
