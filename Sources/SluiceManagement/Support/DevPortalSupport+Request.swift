import Hummingbird
import SluiceControlPlane
import SluiceStorage

extension DevPortalSupport {
    /// The store-visible API with this id.
    /// - Throws: ``ManagementError`` 404 when it does not exist or the caller may not see it; 401 for bad credentials.
    static func visibleAPI(_ id: String, request: Request, services: APIManagerServices) async throws -> APIRecord {
        let principal = try await services.authenticator.optionalPrincipal(for: request)
        return try await visibleAPI(id, principal: principal, services: services)
    }
}
