import Foundation
import Hummingbird
import Logging
import SluiceControlPlane

/// `POST /me/change-password` of the devportal: the signed-in user changes their own password.
struct DevPortalAccountController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// WSO2's `CurrentAndNewPasswords`.
    struct PasswordChangeDTO: Codable, Sendable {
        var currentPassword: String
        var newPassword: String
    }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        routes.post("\(DevPortalAPIsController.prefix)/me/change-password") { request, _ in
            let principal = try await services.authenticator.principal(for: request)
            try principal.require("apim:subscribe")
            let dto = try await services.decoder.decode(PasswordChangeDTO.self, from: request)
            try await services.authenticator.changePassword(
                username: principal.username, currentPassword: dto.currentPassword, newPassword: dto.newPassword
            )
            return JSONResponses.empty()
        }
    }
}
