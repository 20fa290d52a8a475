import ArgumentParser
import Foundation

/// `sluice logout`: revokes the stored tokens at the server (when it can be reached) and forgets the login.
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Revoke the stored login's tokens and delete them."
    )

    @OptionGroup var target: EnvironmentOption

    func run() async throws {
        let store = target.credentials
        guard let login = try store.load() else {
            print("Not logged in")
            return
        }
        var note = ""
        do {
            let client = try ManagementClient(server: login.server)
            let credentials = ManagementClient.basic(login.clientID, login.clientSecret, formEncoded: true)
            var tokens = [(login.accessToken, "access_token")]
            if let refresh = login.refreshToken { tokens.append((refresh, "refresh_token")) }
            for (token, hint) in tokens {
                let reply = try await client.send(
                    .POST,
                    "/oauth2/revoke",
                    authorization: credentials,
                    body: .form([("token", token), ("token_type_hint", hint)])
                )
                if !reply.isSuccess {
                    note = " (the server did not revoke the tokens: \(ServerFailure.explanation(reply)))"
                }
            }
        } catch let error as CLIError {
            // Logging out must work offline too; the tokens then simply expire.
            note = " (\(error.description); the tokens were not revoked)"
        }
        try store.remove()
        print("Logged out of \(login.server)\(note)")
    }
}
