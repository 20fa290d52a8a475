import Foundation

/// Finds an API from what the user typed: its id, its name, or `NAME:VERSION` when several versions exist.
enum RemoteAPIResolver {
    /// Which REST API to look in: the publisher (all APIs, needs `apim:api_view`) or the devportal (what the
    /// store shows the user).
    enum Portal {
        case publisher
        case devportal

        var base: String {
            switch self {
            case .publisher: "/api/am/publisher/v4"
            case .devportal: "/api/am/devportal/v3"
            }
        }
    }

    static func resolve(
        _ reference: String,
        in session: inout RemoteSession,
        portal: Portal
    ) async throws -> RemoteDTOs.APIInfo {
        let direct = try await session.send(.GET, portal.base + "/apis/" + ManagementClient.percentEncoded(reference))
        if direct.isSuccess { return try RemoteDTOs.decode(RemoteDTOs.APIInfo.self, direct.body, what: "an API") }
        guard direct.status == 404 || direct.status == 400 else {
            throw ServerFailure.error(direct, doing: "looking up API \(reference)")
        }
        var name = reference
        var version: String?
        if let colon = reference.lastIndex(of: ":") {
            name = String(reference[..<colon])
            version = String(reference[reference.index(after: colon)...])
        }
        guard !name.isEmpty, !name.contains("\"") else { throw CLIError("no API has the id or name '\(reference)'") }
        var query = "name:\"\(name)\""
        if let version, !version.isEmpty { query += " version:\"\(version)\"" }
        let body = try await session.call(
            .GET,
            portal.base + "/apis",
            query: [("query", query), ("limit", "1000")],
            doing: "searching for API \(reference)"
        )
        let matches = try RemoteDTOs.decode(RemoteDTOs.List<RemoteDTOs.APIInfo>.self, body, what: "an API search").list
        switch matches.count {
        case 0:
            throw CLIError("no API has the id or name '\(reference)'")
        case 1:
            return matches[0]
        default:
            let versions = matches.map(\.version).sorted().joined(separator: ", ")
            throw CLIError("'\(name)' has several versions (\(versions)): use NAME:VERSION or the API id")
        }
    }
}
