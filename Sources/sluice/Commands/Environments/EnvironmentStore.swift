import Foundation

/// The named servers of `sluice env add NAME URL` (apictl's environments), kept in `environments.json` next to the
/// credentials: names and URLs only. Each environment's login is a credentials file of its own
/// (``CredentialStore/standard(environmentName:environment:)``), with the same mode-0600 handling as the default
/// login; no secret ever goes into this file.
struct EnvironmentStore: Sendable {
    let path: String

    /// The store in the configuration folder the process environment selects.
    static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> EnvironmentStore {
        EnvironmentStore(path: CredentialStore.configurationFolder(environment: environment) + "/environments.json")
    }

    /// Whether `name` may name an environment: letters, digits, `.`, `_` and `-`, at most 64, not starting with `.`.
    static func isValidName(_ name: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        return !name.isEmpty && name.count <= 64 && !name.hasPrefix(".") && name.allSatisfy(allowed.contains)
    }

    /// The environments by name.
    /// - Throws: ``CLIError`` when the file exists but cannot be read.
    func load() throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        guard let data = FileManager.default.contents(atPath: path),
            let stored = try? JSONDecoder().decode([String: [String: String]].self, from: data)
        else {
            throw CLIError("\(path) is damaged; remove it and add the environments again")
        }
        return stored["environments"] ?? [:]
    }

    /// The server URL of the environment `name`.
    /// - Throws: ``CLIError`` naming the known environments when there is no such one.
    func server(of name: String) throws -> String {
        let environments = try load()
        guard let server = environments[name] else {
            let known = environments.keys.sorted().joined(separator: ", ")
            throw CLIError(
                "no environment named \(name)"
                    + (known.isEmpty ? "; add one with `sluice env add \(name) URL`" : " (known: \(known))")
            )
        }
        return server
    }

    /// Replaces the environments.
    func save(_ environments: [String: String]) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: folder,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(["environments": environments])
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
