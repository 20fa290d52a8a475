import ArgumentParser

/// `sluice api publish API`: the Publish transition, which deploys the API to the gateway.
struct APIPublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish an API: list it in the store and deploy it to the gateway (needs apim:api_publish)."
    )

    @Argument(help: "The API id, its name, or NAME:VERSION.")
    var api: String

    @Flag(name: .long, help: "Deprecate the other published versions.")
    var deprecateOldVersions = false

    @Flag(name: .long, help: "Do not copy older versions' subscriptions.")
    var requireResubscription = false

    @OptionGroup var output: OutputOptions

    @OptionGroup var target: EnvironmentOption

    func run() async throws {
        try await APILifecycleCommand.change(
            api,
            action: "Publish",
            checklist: [
                ("Deprecate old versions", deprecateOldVersions), ("Require re-subscription", requireResubscription),
            ],
            output: output,
            target: target
        )
    }
}
