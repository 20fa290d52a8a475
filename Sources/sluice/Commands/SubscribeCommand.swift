import ArgumentParser
import Foundation

/// `sluice subscribe --app APP --api API --tier TIER`: subscribes one of the user's applications to a store API.
struct SubscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribe",
        abstract: "Subscribe an application to an API (needs a login with apim:subscribe)."
    )

    @Option(name: .long, help: "The application id or name.")
    var app: String

    @Option(name: .long, help: "The API id, its name, or NAME:VERSION.")
    var api: String

    @Option(name: .long, help: "A subscription tier the API offers.")
    var tier: String = "Unlimited"

    @OptionGroup var output: OutputOptions

    @OptionGroup var target: EnvironmentOption

    func run() async throws {
        var session = try target.session()
        let application = try await RemoteApplications.resolve(app, in: &session)
        let info = try await RemoteAPIResolver.resolve(api, in: &session, portal: .devportal)
        let request = ["applicationId": application.applicationId, "apiId": info.id, "throttlingPolicy": tier]
        let body = try await session.call(
            .POST,
            RemoteAPIResolver.Portal.devportal.base + "/subscriptions",
            body: .json(Array(try JSONEncoder().encode(request))),
            doing: "subscribing \(application.name) to \(info.name) \(info.version)"
        )
        if output.isJSON { return output.printJSON(body) }
        let subscription = try RemoteDTOs.decode(RemoteDTOs.Subscription.self, body, what: "the subscription")
        print(
            "Subscribed \(application.name) to \(info.name) \(info.version) with tier \(subscription.throttlingPolicy) "
                + "(\(subscription.subscriptionId), \(subscription.status ?? "UNBLOCKED"))"
        )
    }
}
