import Foundation
public import Logging
import SluiceArtifacts
public import SluiceStorage

/// A gateway's deployment folder kept in step with the artifacts the publisher stores in the cluster: each one
/// is written into (or removed from) this node's `api/` folder, where the file hot deployment picks it up, so
/// files stay the one way APIs are deployed. Files dropped into the folder by hand, under other names, are left
/// alone.
///
/// The version of the last artifact written is kept in a file next to the folder, so a gateway that was stopped
/// or cut off catches up with what it missed, and only that.
public final class ArtifactReplica: ClusterChangeHandler {
    private let storage: any ClusterRepository
    private let writer: DeploymentFolderWriter
    private let versionFile: String
    private let logger: Logger

    /// The file, below the repository, that holds the version of the last artifact applied.
    public static let versionFilePath = "deployment/server/.cluster-artifacts-version"

    /// Creates a replica.
    /// - Parameters:
    ///   - storage: The shared artifacts.
    ///   - repository: This gateway's repository folder.
    ///   - logger: For files that cannot be written.
    public init(storage: any ClusterRepository, repository: String, logger: Logger) {
        self.storage = storage
        self.writer = DeploymentFolderWriter(repository: repository)
        self.versionFile = repository + "/" + Self.versionFilePath
        self.logger = logger
    }

    /// The version of the last artifact applied (0 before any).
    public var appliedVersion: Int64 {
        (try? String(contentsOfFile: versionFile, encoding: .utf8))
            .flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
    }

    public func reloadAll() async throws {
        try await catchUp()
    }

    public func apply(_ event: ClusterEvent) async throws {
        guard event.topic == .artifact, event.version > appliedVersion else { return }
        try await catchUp()
    }

    private func catchUp() async throws {
        let start = appliedVersion
        var applied = start
        for artifact in try await storage.artifacts(after: start) {
            apply(artifact)
            applied = max(applied, artifact.version)
        }
        guard applied > start else { return }
        do {
            try String(applied).write(toFile: versionFile, atomically: true, encoding: .utf8)
        } catch {
            logger.error(
                "Cannot record the applied artifact version: artifacts will be written again at the next start",
                metadata: ["sluice.file": "\(versionFile)", "sluice.error": "\(error)"]
            )
        }
    }

    private func apply(_ artifact: StoredArtifact) {
        do {
            if let content = artifact.content {
                // An unchanged file is not rewritten: its redeployment would be for nothing.
                let path = writer.apiFolder + "/" + artifact.fileName
                if (try? String(contentsOfFile: path, encoding: .utf8)) != content {
                    try writer.write(content, fileName: artifact.fileName)
                }
            } else {
                try writer.remove(fileName: artifact.fileName)
            }
        } catch {
            // One bad file must not hold up the others; it is written again if the publisher changes it.
            logger.error(
                "Cluster artifact not deployed",
                metadata: ["sluice.file": "\(artifact.fileName)", "sluice.error": "\(error)"]
            )
        }
    }
}
