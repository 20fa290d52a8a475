import Foundation
import Hummingbird
import SluiceModel
import SluiceStorage

/// The Store (developer portal) at `/store`.
struct StorePortal: Sendable {
    let portal: Portal

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/store") { request, _ in try await home(request) }
    }

    private func home(_ request: Request) async throws -> Response {
        let session = portal.session(for: request)
        let apis = try await portal.services.storage.apis().filter {
            [.published, .prototyped].contains($0.lifecycleState) && $0.visibility == "PUBLIC"
        }
        struct Card {
            var id: String
            var name: String
            var version: String
            var provider: String
        }
        return portal.page(
            "store/home",
            title: "APIs",
            session: session,
            area: .store,
            values: ["apis": apis.map { Card(id: $0.id, name: $0.name, version: $0.version, provider: $0.provider) }]
        )
    }
}
