import Hummingbird
import Logging
import SluiceControlPlane

/// WSO2's admin `GET /transaction-count` (startTime, endTime): `{"count": N}`, the calls the gateways counted.
struct AdminTransactionCountController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// WSO2's response body.
    struct TransactionCountDTO: Encodable, Sendable {
        var count: Int
    }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        routes.get(AdminController.prefix + "/transaction-count") { request, _ in
            let principal = try await services.authenticator.principal(for: request)
            try principal.require("apim:admin")
            let count = try await TransactionCountService(services: services).count(
                startTime: try request.requiredQuery("startTime"),
                endTime: try request.requiredQuery("endTime"),
                by: principal
            )
            return JSONResponses.response(TransactionCountDTO(count: count))
        }
    }
}
