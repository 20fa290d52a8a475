/// Puts artifact files where a gateway picks them up, and takes them away again.
///
/// `DeploymentFolderWriter` writes into a gateway's `synapse-configs/default/api/` folder; tests and remote
/// gateways can supply their own.
///
/// ```swift
/// let deployer = DeploymentFolderWriter(repository: "/opt/sluice/repository")
/// try await deployer.write(xml, fileName: "admin--PizzaShackAPI_v1.0.0.xml")
/// try await deployer.remove(fileName: "admin--PizzaShackAPI_v1.0.0.xml")
/// ```
public protocol GatewayArtifactDeployer: Sendable {
    /// Writes `contents` as `fileName`, replacing any earlier version in one step.
    /// - Throws: `DeploymentError` when the file cannot be written.
    func write(_ contents: String, fileName: String) async throws(DeploymentError)

    /// Removes `fileName`.
    /// - Returns: Whether there was a file to remove.
    /// - Throws: `DeploymentError` when the file exists but cannot be removed.
    @discardableResult
    func remove(fileName: String) async throws(DeploymentError) -> Bool
}

/// An artifact file that could not be written or removed.
public struct DeploymentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The artifact file concerned.
    public var fileName: String
    /// What went wrong, including the operating system's reason.
    public var reason: String

    /// Creates an error.
    public init(fileName: String, reason: String) {
        self.fileName = fileName
        self.reason = reason
    }

    /// `cannot deploy <file>: <reason>`.
    public var description: String { "cannot deploy \(fileName): \(reason)" }
}
