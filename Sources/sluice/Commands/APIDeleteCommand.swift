import ArgumentParser

/// `sluice api delete API`: deletes an API and its gateway artifact (the server refuses while it has subscriptions).
struct APIDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete an API (needs apim:api_delete)."
    )

    @Argument(help: "The API id, its name, or NAME:VERSION.")
    var api: String

    @OptionGroup var target: EnvironmentOption

    func run() async throws {
        var session = try target.session()
        let info = try await RemoteAPIResolver.resolve(api, in: &session, portal: .publisher)
        _ = try await session.call(
            .DELETE,
            RemoteAPIResolver.Portal.publisher.base + "/apis/" + info.id,
            doing: "deleting \(info.name) \(info.version)"
        )
        print("Deleted API \(info.name) \(info.version) (\(info.id))")
    }
}
