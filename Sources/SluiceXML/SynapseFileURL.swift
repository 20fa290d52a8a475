/// Where a `file:` URL of an artifact (a local entry `src`, a WSDL endpoint's `uri`) points, in the order Synapse
/// looks, then Sluice's own fallback: an absolute path as it is; a relative one first as the process opens it, from
/// the working directory (WSO2's start scripts `cd` to the product home, so that is where WSO2 opens it), then from
/// the product home, the folder that holds the repository folder (WSO2's `synapse.home`, the `CARBON_HOME` above
/// `repository/`: `SynapseConfigUtils.getObject` and `getURLFromPath` retry `synapse.home` + path when the first
/// open fails), and last from the artifact's own folder (Sluice's addition, so a folder of artifacts can carry its
/// resources; it is only reached where WSO2 would not find the file at all).
package enum SynapseFileURL {
    /// The paths to try for `url` (with or without the `file:` or `file://` scheme).
    /// - Parameter artifact: The path of the artifact file that names the URL, if known.
    package static func candidates(for url: String, artifact: String?) -> [String] {
        var path = url
        if path.hasPrefix("file://") {
            path.removeFirst("file://".count)
        } else if path.hasPrefix("file:") {
            path.removeFirst("file:".count)
        }
        guard !path.hasPrefix("/") else { return [path] }
        var paths = [path]
        if let artifact, let home = productHome(of: artifact) {
            paths.append(home + "/" + path)
        }
        if let artifact, let slash = artifact.lastIndex(of: "/") {
            let beside = String(artifact[...slash]) + path
            if !paths.contains(beside) { paths.append(beside) }
        }
        return paths
    }

    /// The product home of an artifact deployed from a repository: the folder that holds the repository folder, the
    /// one with `deployment/server/synapse-configs/` (whatever its name), else the folder above a `repository/`
    /// segment of the path (WSO2's layout). Nil for an artifact outside any repository.
    /// - Parameter artifact: The path of the artifact file.
    /// - Returns: The home without a trailing slash (`""` for the root folder), or nil.
    package static func productHome(of artifact: String) -> String? {
        if let deployment = artifact.ranges(of: "/deployment/server/synapse-configs/").last {
            let repository = artifact[..<deployment.lowerBound]
            guard let slash = repository.lastIndex(of: "/") else { return nil }
            return String(repository[..<slash])
        }
        if let repository = artifact.ranges(of: "/repository/").last {
            return String(artifact[..<repository.lowerBound])
        }
        return nil
    }

    /// The bytes of the first candidate that exists; when none does, the failure names every place looked at.
    package static func contents(of url: String, artifact: String?, limit: Int) throws(FileBytes.Failure) -> [UInt8] {
        let paths = candidates(for: url, artifact: artifact)
        let existing = paths.first(where: FileBytes.exists)
        do throws(FileBytes.Failure) {
            return try FileBytes.contents(path: existing ?? paths[0], limit: limit)
        } catch {
            guard existing == nil else { throw error }
            var failure = error
            let places = paths.map { $0.hasPrefix("/") ? $0 : $0 + " (from the working directory)" }
            failure.message += " (looked for " + places.joined(separator: ", ") + ")"
            throw failure
        }
    }
}
