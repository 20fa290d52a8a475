import ArgumentParser

/// `--environment NAME` (`-e`) of every remote command: work against that environment's server with its own
/// login instead of the default login.
struct EnvironmentOption: ParsableArguments {
    @Option(
        name: [.customShort("e"), .long],
        help: "The environment (from `sluice env add`) to work against; default: the server of `sluice login URL`."
    )
    var environment: String?

    func validate() throws {
        if let environment, !EnvironmentStore.isValidName(environment) {
            throw ValidationError("'\(environment)' is not an environment name (letters, digits, '.', '_', '-')")
        }
    }

    /// Where the login for the chosen environment is kept.
    var credentials: CredentialStore { CredentialStore.standard(environmentName: environment) }

    /// The stored login of the chosen environment.
    /// - Throws: ``CLIError`` when nobody is logged in there.
    func session() throws -> RemoteSession {
        try RemoteSession.open(store: credentials, environmentName: environment)
    }
}
