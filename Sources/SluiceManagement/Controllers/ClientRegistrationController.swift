import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceKeyManager
import SluiceModel
import SluiceStorage

/// `POST /client-registration/v0.17/register`: WSO2's dynamic client registration, which tools such as apictl
/// (and `sluice login`) use to get an OAuth client for the password grant before asking `/oauth2/token` for a
/// token with `apim:*` scopes.
///
/// The caller authenticates with HTTP Basic as the user who will own the client. The client is an internal
/// application named `clientName` owned by that user, with PRODUCTION keys: it serves its grants but the
/// developer portal (REST and Store) neither lists nor changes it, as in WSO2. Registering the same name again
/// answers the same client id with a new secret: only secret hashes are stored, so the old secret cannot be
/// returned (it stops working; tokens already issued stay valid). That is why `sluice login` registers one client
/// per machine (`sluice-cli-<host>`): a login elsewhere does not replace this machine's secret. A name the owner
/// already uses for a developer-portal application is refused (409) rather than taken over.
struct ClientRegistrationController: Sendable {
    static let path = "/client-registration/v0.17/register"
    static let allowedGrantTypes: Set<String> = ["password", "client_credentials", "refresh_token"]

    let keyManager: KeyManager
    let maximumBodySize: Int
    let logger: Logger

    /// The request body; other fields apictl sends (`saasApp`, `tokenType`...) are accepted and ignored.
    struct RegistrationRequest: Decodable {
        var clientName: String
        var owner: String?
        var grantType: String?
        var callbackUrl: String?
    }

    /// WSO2's `OAuthApplicationInfoDTO` subset.
    struct RegistrationResponse: Encodable {
        var clientId: String
        var clientName: String
        var clientSecret: String
        var appOwner: String
        var grantTypes: [String]
        var callBackURL: String?
        var isSaasApplication: Bool
    }

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let logger = logger
        router.post(RouterPath(Self.path)) { request, context in
            do {
                return try await register(request)
            } catch {
                // The management API's JSON errors, storage failures included.
                return try RouteRegistrar<Context>.map(error, logger: logger).response(from: request, context: context)
            }
        }
    }

    private func register(_ request: Request) async throws -> Response {
        guard case .credentials(let credentials) = BasicCredentials.parse(request.headers, formEncoded: false) else {
            throw ManagementError.unauthenticated("Client registration needs the owner's HTTP Basic credentials")
        }
        guard let user = try await keyManager.authenticateUser(
            username: credentials.username,
            password: credentials.password,
            from: ClientAddress.current
        ) else {
            throw ManagementError.unauthenticated("Invalid user name or password")
        }
        let body = try await request.body.collect(upTo: maximumBodySize)
        let registration: RegistrationRequest
        do {
            registration = try JSONDecoder().decode(RegistrationRequest.self, from: Data(buffer: body))
        } catch {
            throw ManagementError.badRequest("The body must be a JSON object with at least clientName")
        }
        let name = registration.clientName.trimmingCharacters(in: .whitespaces)
        let oneLine = !name.unicodeScalars.contains { $0.properties.isWhitespace && $0 != " " }
        guard (1...100).contains(name.count), oneLine else {
            throw ManagementError.badRequest("clientName must be 1 to 100 characters on one line")
        }
        let owner = try await checkedOwner(registration.owner, caller: user)
        let grantTypes = try Self.grantTypes(registration.grantType)

        let application = try await clientApplication(name: name, owner: owner)
        let keys: GeneratedKeys
        if try await keyManager.keys(applicationID: application.id).contains(where: { $0.keyType == .production }) {
            keys = try await keyManager.regenerateSecret(applicationID: application.id, keyType: .production)
        } else {
            do {
                keys = try await keyManager.generateKeys(
                    applicationID: application.id,
                    keyType: .production,
                    grantTypes: grantTypes,
                    callbackURL: registration.callbackUrl
                )
            } catch let error as StorageError where error.code == .duplicate {
                // A concurrent registration generated them first.
                keys = try await keyManager.regenerateSecret(applicationID: application.id, keyType: .production)
            }
        }
        logger.info("OAuth client registered", metadata: ["sluice.user": "\(owner)", "sluice.client": "\(name)"])
        return JSONResponses.response(
            RegistrationResponse(
                clientId: keys.consumerKey,
                clientName: name,
                clientSecret: keys.consumerSecret,
                appOwner: owner,
                grantTypes: keys.grantTypes,
                callBackURL: registration.callbackUrl,
                isSaasApplication: true
            )
        )
    }

    /// The owner's internal client named `name`, created when missing. Two logins at once may both try to create
    /// it: the loser of the race takes the winner's.
    /// - Throws: ``ManagementError`` 409 when `name` is one of the owner's developer-portal applications.
    private func clientApplication(name: String, owner: String) async throws -> ApplicationRecord {
        if let existing = try await keyManager.storage.application(owner: owner, name: name) {
            return try Self.checkedClient(existing)
        }
        do {
            return try await keyManager.createApplication(
                name: name,
                owner: owner,
                description: "OAuth client registered through \(Self.path)",
                isInternal: true,
                // Tools keep their tokens in files and send them to the management API: short opaque ones.
                tokenType: "OAUTH"
            )
        } catch let error as StorageError where error.code == .duplicate {
            guard let existing = try await keyManager.storage.application(owner: owner, name: name) else { throw error }
            return try Self.checkedClient(existing)
        }
    }

    /// Registration never hands out new secrets for an application the user manages in the developer portal.
    private static func checkedClient(_ application: ApplicationRecord) throws(ManagementError) -> ApplicationRecord {
        guard application.isInternal else {
            throw ManagementError.conflict(
                "\(application.owner) has a developer-portal application named \(application.name); choose another clientName"
            )
        }
        return application
    }

    /// Only administrators register clients for another user.
    private func checkedOwner(_ requested: String?, caller: UserRecord) async throws -> String {
        guard let requested, requested.lowercased() != caller.username.lowercased() else { return caller.username }
        guard try await keyManager.scopes(ofUser: caller.username).contains("apim:admin") else {
            throw ManagementError.forbidden("Only an administrator may register a client for another user")
        }
        guard let owner = try await keyManager.storage.user(named: requested) else {
            throw ManagementError.badRequest("owner \(requested) is not a user")
        }
        return owner.username
    }

    /// `grantType` is space separated (WSO2); the default suits a command-line client.
    static func grantTypes(_ text: String?) throws(ManagementError) -> [String] {
        guard let text else { return ["password", "refresh_token"] }
        var grants: [String] = []
        for grant in text.split(separator: " ").map(String.init) where !grants.contains(grant) {
            guard allowedGrantTypes.contains(grant) else {
                throw ManagementError.badRequest(
                    "The grant type \(grant) is not supported; use "
                        + allowedGrantTypes.sorted().joined(separator: ", ")
                )
            }
            grants.append(grant)
        }
        guard !grants.isEmpty else { throw ManagementError.badRequest("grantType names no grant type") }
        return grants
    }
}
