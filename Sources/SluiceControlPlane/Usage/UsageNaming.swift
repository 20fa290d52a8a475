import SluiceArtifacts
import SluiceModel
import SluiceStorage

/// The API name usage events are stored under. The gateway records the artifact name (`provider--Name`, what
/// its dispatcher sees); events written by other tools, and older tests, use the plain API name. Statistics
/// queries look for the artifact name first and fall back to the plain name, so both are counted.
enum UsageNaming {
    /// `provider--Name`, as the gateway's usage handler records it.
    static func artifactName(_ api: APIRecord) -> String {
        ArtifactNaming.apiName(provider: api.provider, name: api.name)
    }

    /// The name `api`'s events are stored under between `from` and `to` (epoch milliseconds).
    static func storedName(
        _ api: APIRecord,
        from: Int64,
        to: Int64,
        storage: any APIManagerStorage
    ) async throws -> String {
        let artifact = artifactName(api)
        let probe = UsageStatistics.Filter(from: from, to: to, apiName: artifact, apiVersion: api.version)
        return try await storage.usageStatistics(groupedBy: .version, filter: probe).isEmpty ? api.name : artifact
    }

    /// A `name:version` usage count of `api` from counts keyed by either name.
    static func count(_ api: APIRecord, in counts: [String: Int]) -> Int {
        counts["\(artifactName(api)):\(api.version)"] ?? counts["\(api.name):\(api.version)"] ?? 0
    }
}
