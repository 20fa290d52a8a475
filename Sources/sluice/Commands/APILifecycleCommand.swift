import ArgumentParser
import Foundation

/// `sluice api lifecycle API --action ACTION`: runs a lifecycle transition; publishing deploys to the gateway.
struct APILifecycleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifecycle",
        abstract: "Change an API's lifecycle state (needs apim:api_publish).",
        discussion: """
            ACTION is one of WSO2's: Publish, Deploy as a Prototype, Demote to Created, Demote to Prototyped, \
            Block, Deprecate, Re-Publish, Retire.
            """
    )

    @Argument(help: "The API id, its name, or NAME:VERSION.")
    var api: String

    @Option(name: .long, help: "The lifecycle action.")
    var action: String

    @Flag(name: .long, help: "With Publish: deprecate the other published versions.")
    var deprecateOldVersions = false

    @Flag(name: .long, help: "With Publish: do not copy older versions' subscriptions.")
    var requireResubscription = false

    @OptionGroup var output: OutputOptions

    @OptionGroup var target: EnvironmentOption

    func run() async throws {
        try await Self.change(
            api,
            action: action,
            checklist: [
                ("Deprecate old versions", deprecateOldVersions), ("Require re-subscription", requireResubscription),
            ],
            output: output,
            target: target
        )
    }

    private struct Answer: Decodable {
        struct State: Decodable { var state: String }
        var lifecycleState: State
    }

    static func change(
        _ api: String,
        action: String,
        checklist: [(String, Bool)],
        output: OutputOptions,
        target: EnvironmentOption
    ) async throws {
        var session = try target.session()
        let info = try await RemoteAPIResolver.resolve(api, in: &session, portal: .publisher)
        var query = [("apiId", info.id), ("action", action)]
        let ticked = checklist.filter(\.1).map { "\($0.0):true" }
        if !ticked.isEmpty { query.append(("lifecycleChecklist", ticked.joined(separator: ","))) }
        let body = try await session.call(
            .POST,
            RemoteAPIResolver.Portal.publisher.base + "/apis/change-lifecycle",
            query: query,
            doing: "\(action) of \(info.name) \(info.version)"
        )
        if output.isJSON { return output.printJSON(body) }
        let state = (try? JSONDecoder().decode(Answer.self, from: Data(body)))?.lifecycleState.state ?? "changed"
        print("\(info.name) \(info.version): \(info.lifeCycleStatus ?? "?") -> \(state)")
    }
}
