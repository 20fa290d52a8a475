import ArgumentParser
import Foundation

/// The `sluice` command: one binary for every role of the API manager.
@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Sluice API manager: gateway, key manager, publisher and developer portal in one binary.",
        version: SluiceVersion.current,
        subcommands: [
            ServerCommand.self,
            ValidateCommand.self,
            AppCommand.self,
            APICommand.self,
            LoginCommand.self,
            LogoutCommand.self,
            SubscribeCommand.self,
            TokenCommand.self,
            InitCommand.self,
            EnvCommand.self,
        ]
    )

    /// ArgumentParser's entry point, after a look for a mistyped subcommand.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let message = SubcommandSuggestion.message(for: arguments, root: Self.self) {
            FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
            Self.exit(withError: ValidationError(message))
        }
        do {
            var command = try parseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            Self.exit(withError: error)
        }
    }
}
