#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What tells one version of a file from the next without reading it: inode, size and modification time.
struct FileSignature: Sendable, Hashable {
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int

    /// The signature of the regular file at `path`, or nil when there is none.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        #if canImport(Darwin)
        modifiedSeconds = Int(info.st_mtimespec.tv_sec)
        modifiedNanoseconds = Int(info.st_mtimespec.tv_nsec)
        #else
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        #endif
    }

    /// The `.xml` files directly inside `directory` with their signatures (an absent folder has none).
    static func scan(directory: String) -> [String: FileSignature] {
        guard let handle = opendir(directory) else { return [:] }
        defer { closedir(handle) }
        var result: [String: FileSignature] = [:]
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasSuffix(".xml"), !name.hasPrefix(".") else { continue }
            let path = directory + "/" + name
            if let signature = FileSignature(path: path) { result[path] = signature }
        }
        return result
    }
}
