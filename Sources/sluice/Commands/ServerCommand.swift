import ArgumentParser

/// `sluice server`: runs every role of this node (all of them by default) until SIGINT/SIGTERM.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Start Sluice: gateway, key manager and management API over the repository folder."
    )

    @Option(name: .long, help: "The repository folder (conf/, deployment/, database/).")
    var repository: String = "./repository"

    @Option(name: .long, help: "Gateway HTTP port.")
    var gatewayPort: Int = 8280

    @Option(name: .long, help: "Management and key manager HTTP port.")
    var managementPort: Int = 9763

    func run() async throws {
        // Assembled as the gateway, key manager and management services land (issues #3, #4, #6).
        throw ValidationError("the server is not assembled yet")
    }
}
