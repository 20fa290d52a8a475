/// Where a `file:` URL of an artifact (a local entry `src`, a WSDL endpoint's `uri`) points, in the order Synapse
/// and Sluice look: an absolute path as it is; a relative one first from the artifact's own folder (Sluice's rule,
/// so a folder of artifacts carries its resources), then from the current directory and then from the home above
/// `repository/` (Synapse's `SynapseConfigUtils.getObject`: the URL as the process opens it, then
/// `synapse.home` + path), so WSO2's `file:repository/...` and `file:samples/...` keys keep working.
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
        var paths: [String] = []
        if let artifact, let slash = artifact.lastIndex(of: "/") {
            paths.append(String(artifact[...slash]) + path)
        }
        paths.append(path)
        if let artifact, let home = artifact.ranges(of: "/repository/").last {
            paths.append(String(artifact[..<home.lowerBound]) + "/" + path)
        }
        return paths
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
