package import SluiceModel

/// A deployer that writes a publisher's hand-edited source instead of the generated XML of one artifact file, and
/// passes every other write and removal through.
///
/// ``LifecycleExecutor`` builds the generated artifacts; wrapping its deployer lets an API whose source was edited
/// keep its edit through Publish, Re-Publish and the other transitions without a second write: the gateway never
/// sees the generated version in between.
///
/// ```swift
/// var executor = services.lifecycleExecutor
/// executor.deployer = SourceOverridingDeployer(base: executor.deployer, fileName: "admin--Pizza_v1.xml", source: xml)
/// ```
package struct SourceOverridingDeployer: GatewayArtifactDeployer {
    /// Where the files really go.
    package var base: any GatewayArtifactDeployer
    /// The artifact file whose contents are replaced.
    package var fileName: String
    /// The hand-edited source written in its place.
    package var source: String

    /// Creates a deployer.
    /// - Parameters:
    ///   - base: The deployer that writes the files.
    ///   - fileName: The versioned artifact of the API (`provider--Name_vVersion.xml`).
    ///   - source: The validated source to write for that file.
    package init(base: any GatewayArtifactDeployer, fileName: String, source: String) {
        self.base = base
        self.fileName = fileName
        self.source = source
    }

    package func write(_ contents: String, fileName: String) async throws(DeploymentError) {
        try await base.write(fileName == self.fileName ? source : contents, fileName: fileName)
    }

    @discardableResult
    package func remove(fileName: String) async throws(DeploymentError) -> Bool {
        try await base.remove(fileName: fileName)
    }
}

extension LifecycleExecutor {
    /// This executor, writing `source` in place of the generated versioned artifact of `definition` when the API
    /// ends up in `state`; a blocked API always gets the generated 700700 artifact, so an edit never lifts a block.
    /// - Parameters:
    ///   - source: The stored hand-edited source, nil when there is none.
    ///   - definition: The API.
    ///   - state: The state the API is about to be in (nil: unknown, no override).
    /// - Returns: The executor to use.
    package func overriding(
        source: String?,
        of definition: APIDefinition,
        in state: APILifecycleState?
    ) -> LifecycleExecutor {
        guard let source, let state, state != .blocked else { return self }
        var executor = self
        executor.deployer = SourceOverridingDeployer(
            base: deployer,
            fileName: builder.fileName(for: definition),
            source: source
        )
        return executor
    }
}
