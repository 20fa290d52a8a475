import Foundation

/// The devportal's applications of the logged-in user: what `sluice app list|create --remote`, `sluice subscribe`
/// and `sluice token` work on.
enum RemoteApplications {
    static let base = RemoteAPIResolver.Portal.devportal.base + "/applications"

    static func list(output: OutputOptions, target: EnvironmentOption) async throws {
        var session = try target.session()
        let body = try await session.call(.GET, base, query: [("limit", "1000")], doing: "listing applications")
        if output.isJSON { return output.printJSON(body) }
        let applications = try RemoteDTOs.decode(
            RemoteDTOs.List<RemoteDTOs.Application>.self,
            body,
            what: "the application list"
        ).list
        output.printTable(
            ["ID", "NAME", "TIER", "OWNER", "SUBSCRIPTIONS"],
            applications.map {
                [
                    $0.applicationId, $0.name, $0.throttlingPolicy, $0.owner ?? "",
                    $0.subscriptionCount.map(String.init) ?? "",
                ]
            }
        )
    }

    static func create(
        name: String,
        tier: String,
        description: String?,
        output: OutputOptions,
        target: EnvironmentOption
    ) async throws {
        var session = try target.session()
        var fields = ["name": name, "throttlingPolicy": tier]
        if let description { fields["description"] = description }
        let body = try await session.call(
            .POST,
            base,
            body: .json(Array(try JSONEncoder().encode(fields))),
            doing: "creating application \(name)"
        )
        if output.isJSON { return output.printJSON(body) }
        let application = try RemoteDTOs.decode(RemoteDTOs.Application.self, body, what: "the created application")
        print(
            "Created application \(application.name) (\(application.applicationId)) "
                + "with tier \(application.throttlingPolicy)"
        )
    }

    /// The user's application with this id or name.
    static func resolve(_ reference: String, in session: inout RemoteSession) async throws -> RemoteDTOs.Application {
        let direct = try await session.send(.GET, base + "/" + ManagementClient.percentEncoded(reference))
        if direct.isSuccess {
            return try RemoteDTOs.decode(RemoteDTOs.Application.self, direct.body, what: "an application")
        }
        guard direct.status == 404 || direct.status == 400 else {
            throw ServerFailure.error(direct, doing: "looking up application \(reference)")
        }
        let body = try await session.call(.GET, base, query: [("limit", "1000")], doing: "listing applications")
        let applications = try RemoteDTOs.decode(
            RemoteDTOs.List<RemoteDTOs.Application>.self,
            body,
            what: "the application list"
        ).list
        guard let match = applications.first(where: { $0.name == reference }) else {
            throw CLIError(
                "you have no application with the id or name '\(reference)' (see `sluice app list --remote`)"
            )
        }
        return match
    }
}
