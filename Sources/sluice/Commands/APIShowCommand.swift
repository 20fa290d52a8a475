import ArgumentParser

/// `sluice api show NAME|ID`: one API's definition and state.
struct APIShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an API (publisher view; needs a login)."
    )

    @Argument(help: "The API id, its name, or NAME:VERSION.")
    var api: String

    @OptionGroup var output: OutputOptions

    @OptionGroup var target: EnvironmentOption

    func run() async throws {
        var session = try target.session()
        let info = try await RemoteAPIResolver.resolve(api, in: &session, portal: .publisher)
        let body = try await session.call(
            .GET,
            RemoteAPIResolver.Portal.publisher.base + "/apis/" + info.id,
            doing: "reading API \(api)"
        )
        if output.isJSON { return output.printJSON(body) }
        let detail = try RemoteDTOs.decode(RemoteDTOs.APIDetail.self, body, what: "an API")
        output.printTable(
            ["FIELD", "VALUE"],
            [
                ["id", detail.id], ["name", detail.name], ["version", detail.version], ["context", detail.context],
                ["provider", detail.provider ?? ""], ["status", detail.lifeCycleStatus ?? ""],
                ["deployed", detail.gatewayDeployed.map { $0 ? "yes" : "no" } ?? ""],
                ["default version", detail.isDefaultVersion.map { $0 ? "yes" : "no" } ?? ""],
                ["visibility", detail.visibility ?? ""], ["tiers", (detail.policies ?? []).joined(separator: ", ")],
                ["description", detail.description ?? ""],
            ]
        )
        let operations = detail.operations ?? []
        guard !operations.isEmpty else { return }
        print("")
        output.printTable(
            ["VERB", "TARGET", "AUTH", "TIER"],
            operations.map { [$0.verb, $0.target, $0.authType ?? "", $0.throttlingPolicy ?? ""] }
        )
    }
}
