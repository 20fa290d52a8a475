#if canImport(Glibc)
    import Glibc

    // A bare `read` inside FileBytes would resolve to its own static method.
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    import Darwin

    private let systemRead = Darwin.read
#endif

/// Reads whole files with a size check first, through POSIX so this module needs no Foundation.
package enum FileBytes {
    /// Why a file's bytes could not be had: the `errno` of the failing call (0 when the file itself is the
    /// problem: not a regular file, or over the size limit) and a message for diagnostics.
    package struct Failure: Error, Sendable, Hashable {
        package var code: Int32
        package var message: String

        package init(code: Int32, message: String) {
            self.code = code
            self.message = message
        }

        /// True when the file may read fine a moment later: descriptors or memory exhausted, an I/O error,
        /// permissions. The deployment keeps what the file deployed before and tries again.
        package var isTransient: Bool {
            [EMFILE, ENFILE, ENOMEM, EIO, EAGAIN, EINTR, EACCES, EPERM, ENOBUFS].contains(code)
        }
    }

    /// Whether a regular file exists at `path`.
    package static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The bytes of the regular file at `path`, refused when over `limit` (without reading it whole).
    package static func contents(path: String, limit: Int) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("cannot open file") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure("cannot read file") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw Failure(code: 0, message: "not a regular file") }
        let size = Int(info.st_size)
        guard size <= limit else {
            throw Failure(code: 0, message: "file is \(size) bytes, over the limit of \(limit) bytes")
        }
        // Read at most limit + 1 bytes: a file growing after fstat is still caught by the limit.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                systemRead(descriptor, buffer.baseAddress! + total, buffer.count - total)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read file")
            }
            if count == 0 { break }
            total += count
            if total == bytes.count && total <= limit { bytes.append(contentsOf: [UInt8](repeating: 0, count: 4096)) }
            if total > limit {
                throw Failure(code: 0, message: "file is over the limit of \(limit) bytes")
            }
        }
        bytes.removeSubrange(total...)
        return bytes
    }

    private static func failure(_ what: String) -> Failure {
        let code = errno
        return Failure(code: code, message: "\(what): \(String(cString: strerror(code)))")
    }
}
