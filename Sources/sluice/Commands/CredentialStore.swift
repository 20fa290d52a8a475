import Foundation

/// The per-user file holding the current login: `$SLUICE_CONFIG_HOME/credentials.json`, else
/// `~/.config/sluice/credentials.json`. The folder is created with mode 0700 and the file is written with mode
/// 0600 through a temporary file and a rename, so other users never see the tokens and a crash never leaves
/// half a file.
struct CredentialStore: Sendable {
    let path: String

    /// The folder of the command line's files: `$SLUICE_CONFIG_HOME`, else `~/.config/sluice`.
    static func configurationFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let folder = environment["SLUICE_CONFIG_HOME"], !folder.isEmpty { return folder }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/sluice"
    }

    /// The store the process environment selects: `credentials.json` for the default login, and
    /// `credentials-NAME.json` for the login to the environment NAME (`sluice env add`).
    static func standard(
        environmentName: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> CredentialStore {
        let file = environmentName.map { "credentials-\($0).json" } ?? "credentials.json"
        return CredentialStore(path: configurationFolder(environment: environment) + "/" + file)
    }

    /// The stored login, or nil when there is none.
    /// - Throws: ``CLIError`` when the file exists but cannot be read.
    func load() throws -> StoredLogin? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read \(path)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(StoredLogin.self, from: data)
        } catch {
            throw CLIError("\(path) is damaged; run `sluice logout` and log in again")
        }
    }

    /// Replaces the stored login.
    func save(_ login: StoredLogin) throws {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: folder,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw CLIError("cannot create \(folder): \(error.localizedDescription)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(login)
        let temporary = path + ".\(getpid()).tmp"
        // O_EXCL with mode 0600: the secrets are never readable by others, not even for an instant.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw CLIError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == data.count, synced == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Deletes the stored login.
    /// - Returns: False when there was none.
    @discardableResult
    func remove() throws -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        guard unlink(path) == 0 else { throw CLIError("cannot delete \(path): \(String(cString: strerror(errno)))") }
        return true
    }
}
