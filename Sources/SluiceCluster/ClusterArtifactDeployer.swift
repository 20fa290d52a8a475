public import SluiceArtifacts

/// The publisher's deployer on a control-plane node of a cluster: writes the artifact into this node's own
/// folder as before, then hands it to the ``ArtifactOutbox``, which stores it in the shared database where every
/// gateway picks it up.
public struct ClusterArtifactDeployer: GatewayArtifactDeployer {
    private let local: any GatewayArtifactDeployer
    private let outbox: ArtifactOutbox

    /// Creates a deployer.
    /// - Parameters:
    ///   - local: This node's own folder writer (errors there are the publisher's errors, as on a single node).
    ///   - outbox: Where the artifacts go to the cluster.
    public init(local: any GatewayArtifactDeployer, outbox: ArtifactOutbox) {
        self.local = local
        self.outbox = outbox
    }

    public func write(_ contents: String, fileName: String) async throws(DeploymentError) {
        try await local.write(contents, fileName: fileName)
        outbox.enqueue(fileName: fileName, content: contents)
    }

    @discardableResult
    public func remove(fileName: String) async throws(DeploymentError) -> Bool {
        let removed = try await local.remove(fileName: fileName)
        outbox.enqueue(fileName: fileName, content: nil)
        return removed
    }
}
