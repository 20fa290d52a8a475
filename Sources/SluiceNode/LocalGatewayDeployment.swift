import SluiceArtifacts
import SluiceGateway

/// The publisher's deployer on a node that is its own gateway: writes the artifact into the deployment folder and
/// deploys it before returning, so a published API is served as soon as the publish call answers (not a watcher
/// tick later, when a client may already have called the previous version).
final class LocalGatewayDeployment: GatewayArtifactDeployer {
    private let folder: DeploymentFolderWriter
    private let gateway: AttachedGateway

    /// - Parameters:
    ///   - repository: The node's repository folder.
    ///   - gateway: The node's gateway, once it exists (the management services are built first).
    init(repository: String, gateway: AttachedGateway) {
        folder = DeploymentFolderWriter(repository: repository)
        self.gateway = gateway
    }

    func write(_ contents: String, fileName: String) async throws(DeploymentError) {
        try folder.write(contents, fileName: fileName)
        await deployNow()
    }

    @discardableResult
    func remove(fileName: String) async throws(DeploymentError) -> Bool {
        let removed = try folder.remove(fileName: fileName)
        await deployNow()
        return removed
    }

    /// Waits for the deployment pass that serves the file (the one run here, or a running one's rescan), 10 s at
    /// most: past that the file still deploys when the pass ends, the caller just stops waiting for it.
    private func deployNow() async {
        await gateway.attached?.redeployChangedFilesAndWait(timeout: .seconds(10), clock: ContinuousClock())
    }
}
