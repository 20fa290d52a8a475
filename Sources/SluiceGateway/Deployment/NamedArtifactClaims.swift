import SluiceModel

/// Named sequences, endpoints, local entries and templates defined in more than one file: as Synapse refuses a
/// duplicate definition, the later file is refused with both file names, and "later" means what served first:
/// a name keeps the file that served it in the last deployment, else the first file (in deployment order) that
/// defines it. A refused file falls back to its previous version when that one fits, else its named artifacts are
/// left out.
enum NamedArtifactClaims {
    /// One definition: its kind, name and place.
    struct Definition {
        let kind: String
        let name: String
        let location: SourceLocation?

        var claimKey: String { kind + "\u{0}" + name }
    }

    static func definitions(of artifacts: SynapseArtifacts) -> [Definition] {
        artifacts.sequences.map { Definition(kind: "sequence", name: $0.name, location: $0.location) }
            + artifacts.endpoints.compactMap { endpoint in
                endpoint.name.map { Definition(kind: "endpoint", name: $0, location: endpoint.location) }
            }
            + artifacts.localEntries.map { Definition(kind: "local entry", name: $0.key, location: $0.location) }
            + artifacts.templates.map { Definition(kind: "template", name: $0.name, location: $0.location) }
    }

    /// Removes (or rolls back) the candidates that define a name another file holds.
    /// - Parameters:
    ///   - candidates: Each file's named artifacts, by path; changed in place.
    ///   - order: The files in deployment order.
    ///   - served: What each file deployed last time.
    /// - Returns: A diagnostic per refused definition, by the refused file's path.
    static func resolve(
        _ candidates: inout [String: SynapseArtifacts],
        order: [String],
        served: [String: SynapseArtifacts]
    ) -> [String: [DeploymentStatus.Diagnostic]] {
        var owners: [String: String] = [:]
        // What served keeps its names while its file still defines them.
        for path in order {
            guard let previous = served[path], let current = candidates[path] else { continue }
            let still = Set(definitions(of: current).map(\.claimKey))
            for definition in definitions(of: previous) where still.contains(definition.claimKey) {
                if owners[definition.claimKey] == nil { owners[definition.claimKey] = path }
            }
        }
        var problems: [String: [DeploymentStatus.Diagnostic]] = [:]
        for path in order {
            guard let current = candidates[path] else { continue }
            let conflicts = definitions(of: current).filter { owners[$0.claimKey].map { $0 != path } ?? false }
            guard !conflicts.isEmpty else {
                for definition in definitions(of: current) { owners[definition.claimKey] = path }
                continue
            }
            for conflict in conflicts {
                let owner = owners[conflict.claimKey] ?? ""
                problems[path, default: []].append(
                    DeploymentStatus.Diagnostic(
                        file: path,
                        line: conflict.location?.line ?? 1,
                        column: conflict.location?.column ?? 1,
                        message: "\(conflict.kind) '\(conflict.name)' is defined in \(path) and already in \(owner); "
                            + "\(path) is not deployed and \(owner) keeps serving"
                    )
                )
            }
            if let previous = served[path], previous != current,
                !definitions(of: previous).contains(where: { owners[$0.claimKey].map { $0 != path } ?? false })
            {
                candidates[path] = previous
                for definition in definitions(of: previous) { owners[definition.claimKey] = path }
            } else {
                candidates.removeValue(forKey: path)
            }
        }
        return problems
    }
}
