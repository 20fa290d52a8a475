import Foundation
import NIOHTTP1

/// The logged-in state every remote command works through: sends requests with the stored bearer token, and
/// when the token has expired (or the server answers 401) refreshes it once with the refresh token and saves
/// the new tokens. When that fails too, the user is told to log in again.
struct RemoteSession {
    /// `/oauth2/token`'s answer.
    struct TokenAnswer: Decodable {
        var access_token: String
        var refresh_token: String?
        var expires_in: Int64
        var scope: String?
    }

    let store: CredentialStore
    private(set) var login: StoredLogin
    let client: ManagementClient
    /// The environment of the login (`--environment`), nil for the default login.
    var environmentName: String? = nil

    /// The stored login.
    /// - Throws: ``CLIError`` when nobody is logged in.
    static func open(store: CredentialStore = .standard(), environmentName: String? = nil) throws -> RemoteSession {
        guard let login = try store.load() else {
            if let environmentName {
                throw CLIError(
                    "not logged in to environment \(environmentName): run "
                        + "`sluice login --environment \(environmentName) --username NAME` first"
                )
            }
            throw CLIError("not logged in: run `sluice login URL --username NAME` first")
        }
        return RemoteSession(
            store: store,
            login: login,
            client: try ManagementClient(server: login.server),
            environmentName: environmentName
        )
    }

    /// Sends a request as the logged-in user.
    mutating func send(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        body: ManagementClient.Body? = nil
    ) async throws -> ManagementClient.Reply {
        // A margin, so a token does not expire between this check and the server's.
        if login.expiresAt.timeIntervalSinceNow < 10 { try await refresh() }
        var reply = try await client.send(method, path, query: query, authorization: bearer, body: body)
        if reply.status == 401 {
            try await refresh()
            reply = try await client.send(method, path, query: query, authorization: bearer, body: body)
        }
        return reply
    }

    /// Sends a request and returns the body of a successful answer.
    /// - Throws: ``CLIError`` with the server's explanation for any other answer.
    mutating func call(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        body: ManagementClient.Body? = nil,
        doing action: String
    ) async throws -> [UInt8] {
        let reply = try await send(method, path, query: query, body: body)
        guard reply.isSuccess else { throw ServerFailure.error(reply, doing: action) }
        return reply.body
    }

    private var bearer: String { "Bearer \(login.accessToken)" }

    private mutating func refresh() async throws {
        let target = environmentName.map { "--environment \($0)" } ?? login.server
        let again = "run `sluice login \(target) --username \(login.username)` again"
        guard let refreshToken = login.refreshToken else { throw CLIError("your login has expired: \(again)") }
        let reply = try await client.send(
            .POST,
            "/oauth2/token",
            authorization: ManagementClient.basic(login.clientID, login.clientSecret, formEncoded: true),
            body: .form([("grant_type", "refresh_token"), ("refresh_token", refreshToken)])
        )
        guard reply.isSuccess, let answer = try? JSONDecoder().decode(TokenAnswer.self, from: Data(reply.body)) else {
            let reason = ServerFailure.explanation(reply)
            throw CLIError("your login has expired and could not be renewed (\(reason)): \(again)")
        }
        login.accessToken = answer.access_token
        login.refreshToken = answer.refresh_token ?? refreshToken
        login.expiresAt = Date().addingTimeInterval(TimeInterval(answer.expires_in))
        if let scope = answer.scope { login.scopes = scope.split(separator: " ").map(String.init) }
        try store.save(login)
    }
}
