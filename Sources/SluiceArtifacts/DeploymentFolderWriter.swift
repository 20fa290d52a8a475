#if canImport(Glibc)
import Glibc

// The writer's own `write(_:fileName:)` hides the C function of the same name inside the type.
private let systemWrite = Glibc.write
#elseif canImport(Musl)
import Musl

private let systemWrite = Musl.write
#elseif canImport(Darwin)
import Darwin

private let systemWrite = Darwin.write
#endif

/// Writes artifact files into a gateway's API folder so that a watcher never sees a half-written `.xml`.
///
/// Each write goes to a hidden temporary file in the same folder whose name does not end in `.xml`, is flushed
/// to disk, and is then renamed over the target; `rename(2)` within one file system replaces the file in one
/// step, so readers see the old artifact or the new one, never a mixture.
public struct DeploymentFolderWriter: GatewayArtifactDeployer {
    /// The folder artifacts are written into.
    public let apiFolder: String

    /// The API folder below a WSO2-style repository.
    public static let apiFolderPath = "deployment/server/synapse-configs/default/api"

    /// Creates a writer for an explicit folder (created on first write when missing).
    public init(apiFolder: String) {
        self.apiFolder = apiFolder
    }

    /// Creates a writer for `<repository>/deployment/server/synapse-configs/default/api/`.
    public init(repository: String) {
        let root = repository.hasSuffix("/") ? String(repository.dropLast()) : repository
        self.init(apiFolder: root + "/" + Self.apiFolderPath)
    }

    /// Writes `contents` as `fileName` atomically (temporary file, fsync, rename, fsync of the folder).
    /// - Throws: `DeploymentError` for a bad file name or any failing system call; no temporary file is left.
    public func write(_ contents: String, fileName: String) throws(DeploymentError) {
        try checkFileName(fileName)
        try createFolder(for: fileName)
        let target = path(of: fileName)
        let temporary = path(of: ".\(fileName).tmp-\(UInt64.random(in: 0...UInt64.max))")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(fileName, "cannot create a temporary file") }
        do throws(DeploymentError) {
            try writeAll(Array(contents.utf8), to: descriptor, fileName: fileName)
            guard fsync(descriptor) == 0 else { throw failure(fileName, "cannot flush the temporary file") }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard close(descriptor) == 0 else {
            let error = failure(fileName, "cannot close the temporary file")
            unlink(temporary)
            throw error
        }
        guard rename(temporary, target) == 0 else {
            let error = failure(fileName, "cannot move the new file into place")
            unlink(temporary)
            throw error
        }
        syncFolder()
    }

    /// Removes `fileName` from the folder.
    /// - Returns: Whether a file was removed.
    /// - Throws: `DeploymentError` for a bad file name or when the file exists but cannot be removed.
    @discardableResult
    public func remove(fileName: String) throws(DeploymentError) -> Bool {
        try checkFileName(fileName)
        guard unlink(path(of: fileName)) == 0 else {
            if errno == ENOENT { return false }
            throw failure(fileName, "cannot remove the file")
        }
        syncFolder()
        return true
    }

    /// Removes temporary files that a writer killed mid-write left behind.
    ///
    /// Only files named like this writer's temporary files and older than `age` seconds are removed, so a write
    /// in progress in another process is not disturbed.
    /// - Parameter age: How old, in seconds, a temporary file must be to count as abandoned.
    /// - Returns: The names of the files removed.
    @discardableResult
    public func removeAbandonedTemporaryFiles(olderThan age: Int = 60) -> [String] {
        guard let directory = opendir(apiFolder) else { return [] }
        defer { closedir(directory) }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var removed: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasPrefix("."), name.contains(".xml.tmp-") else { continue }
            var info = stat()
            guard stat(path(of: name), &info) == 0 else { continue }
            #if canImport(Darwin)
            let modified = Int(info.st_mtimespec.tv_sec)
            #else
            let modified = Int(info.st_mtim.tv_sec)
            #endif
            guard Int(now.tv_sec) - modified >= age else { continue }
            if unlink(path(of: name)) == 0 { removed.append(name) }
        }
        return removed.sorted()
    }

    // MARK: - Helpers

    private func path(of fileName: String) -> String { apiFolder + "/" + fileName }

    // Artifact names come from API names; refusing separators keeps a hostile name inside the folder.
    private func checkFileName(_ fileName: String) throws(DeploymentError) {
        guard fileName.hasSuffix(".xml"), !fileName.hasPrefix("."), !fileName.contains("/"), !fileName.contains("\0")
        else { throw DeploymentError(fileName: fileName, reason: "an artifact file name must be a plain '*.xml' name") }
    }

    private func createFolder(for fileName: String) throws(DeploymentError) {
        var built = apiFolder.hasPrefix("/") ? "" : "."
        for component in apiFolder.split(separator: "/") {
            built += "/" + component
            if mkdir(built, 0o755) != 0 && errno != EEXIST {
                throw failure(fileName, "cannot create folder \(built)")
            }
        }
    }

    private func writeAll(_ bytes: [UInt8], to descriptor: Int32, fileName: String) throws(DeploymentError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(fileName, "cannot write the temporary file")
            }
            offset += written
        }
    }

    // The rename is durable only once the folder entry itself reaches the disk; failing here loses nothing
    // that is visible, so it is not reported.
    private func syncFolder() {
        let descriptor = open(apiFolder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private func failure(_ fileName: String, _ what: String) -> DeploymentError {
        DeploymentError(fileName: fileName, reason: "\(what) in \(apiFolder): \(String(cString: strerror(errno)))")
    }
}
