import ArgumentParser

/// `sluice api list [--query Q]`: the publisher's APIs on the logged-in server.
struct APIListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List or search the server's APIs (publisher view; needs a login).",
        discussion: "QUERY uses WSO2's syntax: name:pizza* status:PUBLISHED provider:\"admin\" tag:food."
    )

    @Option(name: [.customShort("q"), .long], help: "A search query.")
    var query: String?

    @OptionGroup var output: OutputOptions

    @OptionGroup var target: EnvironmentOption

    func run() async throws {
        var session = try target.session()
        var parameters = [("limit", "1000")]
        if let query { parameters.append(("query", query)) }
        let body = try await session.call(
            .GET,
            RemoteAPIResolver.Portal.publisher.base + "/apis",
            query: parameters,
            doing: "listing APIs"
        )
        if output.isJSON { return output.printJSON(body) }
        let apis = try RemoteDTOs.decode(RemoteDTOs.List<RemoteDTOs.APIInfo>.self, body, what: "the API list").list
        output.printTable(
            ["ID", "NAME", "VERSION", "CONTEXT", "STATUS", "PROVIDER"],
            apis.map { [$0.id, $0.name, $0.version, $0.context, $0.lifeCycleStatus ?? "", $0.provider ?? ""] }
        )
    }
}
