import Foundation
import Hummingbird
import Logging
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
        try UserRules.checkUsername(dto.username)
        try UserRules.checkPassword(dto.password)
        try UserRules.checkEmail(dto.email)
        for (field, value) in [("firstName", dto.firstName), ("lastName", dto.lastName)]
        where value.trimmingCharacters(in: .whitespaces).isEmpty || value.count > 100 {
            throw ManagementError.badRequest("\(field) must be 1 to 100 characters")
        }
        // Checked before the user is stored, so a bad setting cannot leave a user without its application.
        let tier = services.configuration.defaultApplicationTier
        guard try await services.tierNames(.application).contains(tier) else {
            logger.error("The default application tier does not exist", metadata: ["sluice.tier": "\(tier)"])
            throw ManagementError.internalError("Sign-up is not available")
        }
        if try await services.storage.user(named: dto.username) != nil {
            throw ManagementError.conflict("The user name \(dto.username) is taken")
        }
        let user = UserRecord(
            username: dto.username,
            passwordHash: services.keyManager.configuration.passwordHasher.hash(dto.password),
            email: dto.email,
            firstName: dto.firstName.trimmingCharacters(in: .whitespaces),
            lastName: dto.lastName.trimmingCharacters(in: .whitespaces),
            roles: [Role.subscriber.name],
            createdAt: Date()
        )
        try await services.storage.createUser(user)
        let application = try await services.keyManager.createApplication(
            name: "DefaultApplication",
            owner: user.username,
            throttlingTier: tier,
            description: "Created at sign-up"
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
