import ArgumentParser
import Foundation

/// `sluice login URL`: registers an OAuth client for the user (WSO2's dynamic client registration, as apictl
/// does), gets a token with the password grant and WSO2's `apim:*` scopes, and stores the tokens (never the
/// password) for the other remote commands.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to a Sluice management server.",
        discussion: """
            The password comes from --password, else the SLUICE_PASSWORD environment variable, else standard \
            input (typed without echo on a terminal). The login is kept in $SLUICE_CONFIG_HOME/credentials.json \
            or ~/.config/sluice/credentials.json (mode 0600): the access and refresh tokens and the OAuth client \
            registered for this machine's command line (sluice-cli-<host>, one per machine, so logins elsewhere \
            keep working), never the password. The server grants only the scopes the user's roles allow.
            """
    )

    /// What the command line asks for; the key manager drops what the user's roles do not allow.
    static let requestedScopes = [
        "apim:api_view", "apim:api_create", "apim:api_delete", "apim:api_publish", "apim:document_create",
        "apim:document_manage", "apim:subscription_view", "apim:subscription_block", "apim:tier_view",
        "apim:subscribe", "apim:app_manage", "apim:sub_manage", "apim:api_key", "apim:admin", "apim:tier_manage",
        "apim:admin_tier_view", "apim:admin_tier_manage", "apim:api_import_export",
    ]

    /// The prefix of the command line's OAuth client names.
    static let clientNamePrefix = "sluice-cli"

    /// The OAuth client of this machine's command line, `sluice-cli-<host>`: one client per machine, so logging in
    /// on one machine (which gives the client a new secret) leaves the user's logins elsewhere working. Only
    /// letters, digits, dots and dashes of the host name are kept, at most 60 of them.
    static func clientName(host: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
        let kept = String(host.filter { allowed.contains($0) }.prefix(60))
        return kept.isEmpty ? clientNamePrefix : "\(clientNamePrefix)-\(kept.lowercased())"
    }

    /// This machine's host name (`gethostname`, no name service lookup).
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @Argument(help: "The management server, e.g. http://localhost:9763 (not needed with --environment).")
    var server: String?

    @OptionGroup var target: EnvironmentOption

    @Option(name: [.customShort("u"), .long], help: "The user name.")
    var username: String = "admin"

    @Option(name: [.customShort("p"), .long], help: "The password (prefer SLUICE_PASSWORD or standard input).")
    var password: String?

    @Option(help: "The name of this machine's OAuth client (default: sluice-cli-<host>).")
    var clientName: String?

    private struct Registration: Decodable {
        var clientId: String
        var clientSecret: String
    }

    func run() async throws {
        let client = try ManagementClient(server: try serverURL())
        let environment = ProcessInfo.processInfo.environment
        let secret = try password ?? environment["SLUICE_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
            ?? PasswordReader.read(prompt: "Password for \(username): ")

        let registration = try JSONEncoder().encode([
            "clientName": clientName ?? Self.clientName(host: Self.hostName), "owner": username, "grantType": "password refresh_token",
        ])
        let registered = try await client.send(
            .POST,
            "/client-registration/v0.17/register",
            authorization: ManagementClient.basic(username, secret),
            body: .json(Array(registration))
        )
        if registered.status == 401 {
            throw CLIError("login to \(client.server) failed: wrong user name or password for '\(username)'")
        }
        guard registered.isSuccess,
            let oauthClient = try? JSONDecoder().decode(Registration.self, from: Data(registered.body))
        else {
            throw ServerFailure.error(registered, doing: "registering the command-line client")
        }

        let issued = try await client.send(
            .POST,
            "/oauth2/token",
            authorization: ManagementClient.basic(oauthClient.clientId, oauthClient.clientSecret, formEncoded: true),
            body: .form([
                ("grant_type", "password"), ("username", username), ("password", secret),
                ("scope", Self.requestedScopes.joined(separator: " ")),
            ])
        )
        guard issued.isSuccess,
            let token = try? JSONDecoder().decode(RemoteSession.TokenAnswer.self, from: Data(issued.body))
        else {
            throw ServerFailure.error(issued, doing: "getting a token")
        }
        let scopes = (token.scope ?? "").split(separator: " ").map(String.init)
        let store = target.credentials
        try store.save(
            StoredLogin(
                server: client.server,
                username: username,
                clientID: oauthClient.clientId,
                clientSecret: oauthClient.clientSecret,
                accessToken: token.access_token,
                refreshToken: token.refresh_token,
                expiresAt: Date().addingTimeInterval(TimeInterval(token.expires_in)),
                scopes: scopes
            )
        )
        print("Logged in to \(client.server) as \(username)" + (target.environment.map { " (environment \($0))" } ?? ""))
        print("Scopes: \(scopes.sorted().joined(separator: " "))")
    }

    /// The server to log in to: the argument, or the environment's.
    private func serverURL() throws -> String {
        guard let environment = target.environment else {
            guard let server else { throw ValidationError("give the server URL, or --environment NAME") }
            return server
        }
        let known = try EnvironmentStore.standard().server(of: environment)
        if let server, try ManagementClient(server: server).server != known {
            throw CLIError("environment \(environment) is \(known), not \(server) (`sluice env add` changes it)")
        }
        return known
    }
}
