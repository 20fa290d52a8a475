#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceSynapse

/// How the deployment reads its folders: the POSIX calls, behind closures so tests can make a folder or a
/// file fail the way an exhausted descriptor table or a permission change does.
///
/// A folder that cannot be listed and a file that cannot be read are errors, never "no files": the deployment
/// keeps serving what it has and tries again (issue #12: descriptor exhaustion once undeployed every API).
struct ArtifactFileSystem: Sendable {
    /// One entry of a folder, as `lstat` and, for a symbolic link, its resolution describe it.
    enum Entry: Equatable {
        /// A regular file.
        case file(FileSignature)
        /// A symbolic link to a regular file inside the repository: deployed from `target` (its real path).
        case link(FileSignature, target: String)
        /// A symbolic link leading outside the repository, or to something that is not a regular file.
        case refusedLink(target: String?)
        /// Neither a regular file nor a link (a folder, a socket): not an artifact.
        case other
        /// Gone between listing and looking (deleted meanwhile).
        case vanished
        /// Cannot be looked at now (errno).
        case unreadable(FileBytes.Failure)
    }

    /// The names in a folder (without `.` and `..`), or why it cannot be listed.
    var listDirectory: @Sendable (String) -> Result<[String], FileBytes.Failure>
    /// The bytes of a file, refused over a size limit.
    var readFile: @Sendable (String, Int) -> Result<[UInt8], FileBytes.Failure>
    /// What is at a path.
    var entry: @Sendable (_ path: String, _ repositoryRoot: String) -> Entry

    /// The real file system.
    static let posix = ArtifactFileSystem(
        listDirectory: { listPOSIXDirectory($0) },
        readFile: { path, limit in Result { () throws(FileBytes.Failure) in try FileBytes.contents(path: path, limit: limit) } },
        entry: { posixEntry(at: $0, repositoryRoot: $1) }
    )

    /// The canonical absolute path of `path` (symbolic links resolved), nil when it does not resolve.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    // MARK: - Private

    private static func listPOSIXDirectory(_ directory: String) -> Result<[String], FileBytes.Failure> {
        guard let handle = opendir(directory) else { return .failure(failure("cannot open folder")) }
        defer { closedir(handle) }
        var names: [String] = []
        while true {
            // readdir signals an error only through errno; end of folder leaves it untouched.
            errno = 0
            guard let entry = readdir(handle) else {
                if errno != 0 { return .failure(failure("cannot read folder")) }
                return .success(names)
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
    }

    private static func posixEntry(at path: String, repositoryRoot: String) -> Entry {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            return errno == ENOENT ? .vanished : .unreadable(failure("cannot look at file"))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return .file(FileSignature(info))
        case S_IFLNK:
            guard let target = realPath(path) else { return .refusedLink(target: nil) }
            guard target.hasPrefix(repositoryRoot + "/"), stat(target, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG
            else { return .refusedLink(target: target) }
            return .link(FileSignature(info), target: target)
        default:
            return .other
        }
    }

    private static func failure(_ what: String) -> FileBytes.Failure {
        let code = errno
        return FileBytes.Failure(code: code, message: "\(what): \(String(cString: strerror(code)))")
    }
}
