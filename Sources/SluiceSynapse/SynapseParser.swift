public import SluiceModel
import SluiceMediation
import SluiceXML

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
    /// Where `<localEntry src="http(s)://...">` documents come from: the deployer's fetches. Nil (the default)
    /// refuses such sources.
    public var networkSources: (any NetworkSources)?

    /// Creates a parser.
    public init(limits: Limits = Limits(), networkSources: (any NetworkSources)? = nil) {
        self.limits = limits
        self.networkSources = networkSources
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
        try parseWithWarnings(bytes: bytes, fileName: fileName).artifacts
    }

    /// Parses XML bytes, and says what Synapse would read past: text and elements its factories do not look at.
    /// - Throws: `SynapseDiagnostics` for every problem found.
    public func parseWithWarnings(
        bytes: [UInt8],
        fileName: String
    ) throws(SynapseDiagnostics) -> (artifacts: SynapseArtifacts, warnings: [SynapseDiagnostic]) {
        let root = try parseDocument(bytes: bytes, fileName: fileName)
        let reader = ArtifactReader(fileName: fileName, networkSources: networkSources)
        let artifacts = reader.readArtifacts(root: root)
        if !reader.diagnostics.isEmpty { throw SynapseDiagnostics(reader.diagnostics) }
        return (artifacts, reader.warnings)
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

/// The bounded file reader (in SluiceXML, so the mediation compiler reads WSDL files with it too), under the name the
/// gateway and tests know from this module.
package typealias FileBytes = SluiceXML.FileBytes

extension FileBytes {
    static func read(path: String, limit: Int) throws(SynapseDiagnostics) -> [UInt8] {
        do {
            return try contents(path: path, limit: limit)
        } catch {
            throw SynapseDiagnostics(message: error.message, location: SourceLocation(file: path, line: 1))
        }
    }
}
