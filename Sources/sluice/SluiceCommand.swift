import ArgumentParser

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
        ]
    )
}
