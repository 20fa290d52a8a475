public import SluiceModel
import SluiceMediation
import SluiceXML

#if canImport(Glibc)
    import Glibc

    // A bare `read` inside FileBytes would resolve to its own static method.
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    import Darwin

    private let systemRead = Darwin.read
#endif

/// Parses Synapse artifact files (`<api>`, `<sequence>`, `<endpoint>`, `<definitions>`) into the model.
///
/// The parser never reaches the network or other files from XML, refuses DOCTYPEs, oversized files and deep
/// nesting, and reports problems as diagnostics with file, line and column. It is safe to use from several
/// threads at once.
public struct SynapseParser: Sendable {
    /// Bounds on the input, so hostile files cannot exhaust memory or stack.
    public struct Limits: Sendable {
        /// Files larger than this are refused before they are read (default 10 MiB).
        public var maxFileBytes: Int
        /// Elements nested deeper than this are refused (default 256; libxml2 itself never accepts more than 256).
        public var maxDepth: Int

        /// The limits as the XML layer takes them.
        var xml: HardenedXMLParser.Limits { HardenedXMLParser.Limits(maxBytes: maxFileBytes, maxDepth: maxDepth) }

        /// Creates limits.
        /// - Parameters:
        ///   - maxFileBytes: The largest file accepted, in bytes.
        ///   - maxDepth: The deepest element nesting accepted.
        public init(maxFileBytes: Int = 10 * 1024 * 1024, maxDepth: Int = 256) {
            self.maxFileBytes = maxFileBytes
            self.maxDepth = maxDepth
        }
    }

    /// The limits this parser applies.
    public var limits: Limits

    /// Creates a parser.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Parses one artifact file (refuses files over the limit without reading them whole).
    /// - Throws: `SynapseDiagnostics` when the file cannot be read or holds errors.
    public func parseFile(atPath path: String) throws(SynapseDiagnostics) -> SynapseArtifacts {
        let bytes = try FileBytes.read(path: path, limit: limits.maxFileBytes)
        return try parse(bytes: bytes, fileName: path)
    }

    /// Parses XML text; `fileName` is used in diagnostics.
    /// - Throws: `SynapseDiagnostics` for every problem found.
    public func parse(xml: String, fileName: String) throws(SynapseDiagnostics) -> SynapseArtifacts {
        try parse(bytes: Array(xml.utf8), fileName: fileName)
    }

    /// Parses XML bytes; `fileName` is used in diagnostics.
    /// - Throws: `SynapseDiagnostics` for every problem found.
    public func parse(bytes: [UInt8], fileName: String) throws(SynapseDiagnostics) -> SynapseArtifacts {
        let root = try parseDocument(bytes: bytes, fileName: fileName)
        let reader = ArtifactReader(fileName: fileName)
        let artifacts = reader.readArtifacts(root: root)
        if !reader.diagnostics.isEmpty { throw SynapseDiagnostics(reader.diagnostics) }
        return artifacts
    }

    /// Parses bytes into the element tree, applying the limits.
    func parseDocument(bytes: [UInt8], fileName: String) throws(SynapseDiagnostics) -> XMLElementNode {
        guard bytes.count <= limits.maxFileBytes else {
            throw SynapseDiagnostics(
                message: "file is \(bytes.count) bytes, over the limit of \(limits.maxFileBytes) bytes",
                location: SourceLocation(file: fileName, line: 1)
            )
        }
        do {
            return try XMLDocumentParser(limits: limits.xml).parse(bytes: bytes)
        } catch {
            throw SynapseDiagnostics(
                message: error.message,
                location: SourceLocation(file: fileName, line: error.line, column: error.column)
            )
        }
    }
}

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
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func read(path: String, limit: Int) throws(SynapseDiagnostics) -> [UInt8] {
        do {
            return try contents(path: path, limit: limit)
        } catch {
            throw SynapseDiagnostics(message: error.message, location: SourceLocation(file: path, line: 1))
        }
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
