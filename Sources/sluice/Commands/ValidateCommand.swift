import ArgumentParser

/// `sluice validate FILE|DIR...`: parses artifacts and prints `OK path` or `path:line:column: message`.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check Synapse artifact files (APIs, sequences, endpoints) and print their diagnostics."
    )

    @Argument(help: "Artifact files or folders (folders are searched for *.xml).")
    var paths: [String]

    func run() async throws {
        throw ValidationError("validate is implemented with the Synapse parser")
    }
}
