import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// `POST /api/am/devportal/v3/self-signup`: creates a subscriber and their `DefaultApplication`.
struct SelfSignupController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        routes.post("\(DevPortalAPIsController.prefix)/self-signup") { request, _ in try await signUp(request) }
    }

    private func signUp(_ request: Request) async throws -> Response {
        let dto = try await services.decoder.decode(SelfSignupDTO.self, from: request)
        let (user, application) = try await SubscriberService(services: services).signUp(
            SubscriberService.Signup(
                username: dto.username,
                password: dto.password,
                email: dto.email,
                firstName: dto.firstName,
                lastName: dto.lastName
            )
        )
        logger.info("Subscriber signed up", metadata: ["sluice.user": "\(user.username)"])
        struct Answer: Encodable {
            var username: String
            var email: String
            var firstName: String
            var lastName: String
            var roles: [String]
            var defaultApplicationId: String
        }
        return JSONResponses.response(
            Answer(
                username: user.username,
                email: dto.email,
                firstName: user.firstName ?? "",
                lastName: user.lastName ?? "",
                roles: user.roles,
                defaultApplicationId: application.id
            ),
            status: .created
        )
    }
}
