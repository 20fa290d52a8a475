/// What the gateway has deployed from each artifact file, and what it refused: the report `sluice` and the
/// management API show.
public struct DeploymentStatus: Sendable, Hashable, Codable {
    /// Increases with every snapshot swap.
    public var generation: Int
    /// Folders and files that could not be read at the last scan (descriptors exhausted, permissions, a folder
    /// removed), with why: what they deployed keeps serving, and they are read again until they can be.
    public var unreadable: [String: String]
    /// One entry per artifact file, sorted by path.
    public var files: [FileStatus]

    /// Creates a report.
    public init(generation: Int = 0, unreadable: [String: String] = [:], files: [FileStatus] = []) {
        self.generation = generation
        self.unreadable = unreadable
        self.files = files
    }

    /// The entry of the file at `path`, if it is known.
    public func file(_ path: String) -> FileStatus? {
        files.first { $0.path == path }
    }

    /// Every error of every failed file, as `path:line:column: message` lines, then the unreadable paths.
    public var errorLines: [String] {
        files.flatMap { $0.diagnostics.map(\.description) }
            + unreadable.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
    }

    /// One artifact file's deployment state.
    public struct FileStatus: Sendable, Hashable, Codable {
        /// The file's path.
        public var path: String
        /// `api`, `sequences` or `endpoints`: the folder the file is in.
        public var folder: String
        public var state: State
        /// Names of the APIs, sequences and endpoints the file declares (its last good version when failed).
        public var artifacts: [String]
        /// Why the file is not deployed as written; empty when deployed.
        public var diagnostics: [Diagnostic]
        /// What deployed but will fault when a message reaches it: references to sequences, endpoints, templates
        /// or local entries nothing deployed defines (Synapse deploys those too and resolves keys per message); and
        /// what Synapse reads past (stray text, elements a factory does not read), which deployed without it.
        public var warnings: [Diagnostic]
        /// True when the file failed but an earlier version of it still serves.
        public var servingPreviousVersion: Bool

        /// Creates an entry.
        public init(
            path: String,
            folder: String,
            state: State,
            artifacts: [String],
            diagnostics: [Diagnostic] = [],
            warnings: [Diagnostic] = [],
            servingPreviousVersion: Bool = false
        ) {
            self.path = path
            self.folder = folder
            self.state = state
            self.artifacts = artifacts
            self.diagnostics = diagnostics
            self.warnings = warnings
            self.servingPreviousVersion = servingPreviousVersion
        }

        private enum CodingKeys: String, CodingKey {
            case path, folder, state, artifacts, diagnostics, warnings, servingPreviousVersion
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                path: try container.decode(String.self, forKey: .path),
                folder: try container.decode(String.self, forKey: .folder),
                state: try container.decode(State.self, forKey: .state),
                artifacts: try container.decode([String].self, forKey: .artifacts),
                diagnostics: try container.decode([Diagnostic].self, forKey: .diagnostics),
                warnings: try container.decodeIfPresent([Diagnostic].self, forKey: .warnings) ?? [],
                servingPreviousVersion: try container.decode(Bool.self, forKey: .servingPreviousVersion)
            )
        }

        /// What deployment says about the file, one line each, as the deployer logs it and `sluice validate`
        /// prints it: `OK path`, or its errors then its warnings (`path:line:column: warning: message`).
        public var lines: [String] {
            diagnostics.isEmpty && warnings.isEmpty ? ["OK " + path] : (diagnostics + warnings).map(\.description)
        }
    }

    /// Whether a file's current content is live.
    public enum State: String, Sendable, Hashable, Codable {
        case deployed
        case failed
    }

    /// One problem, with its place.
    public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var column: Int
        public var message: String
        /// An error refuses the artifact; a warning says what deployed but faults when a message reaches it.
        public var severity: Severity

        /// How serious a diagnostic is.
        public enum Severity: String, Sendable, Hashable, Codable {
            case error
            case warning
        }

        /// Creates a diagnostic.
        public init(file: String, line: Int, column: Int, message: String, severity: Severity = .error) {
            self.file = file
            self.line = line
            self.column = column
            self.message = message
            self.severity = severity
        }

        private enum CodingKeys: String, CodingKey {
            case file, line, column, message, severity
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                file: try container.decode(String.self, forKey: .file),
                line: try container.decode(Int.self, forKey: .line),
                column: try container.decode(Int.self, forKey: .column),
                message: try container.decode(String.self, forKey: .message),
                severity: try container.decodeIfPresent(Severity.self, forKey: .severity) ?? .error
            )
        }

        /// `path:line:column: message`, or `path:line:column: warning: message`.
        public var description: String {
            "\(file):\(line):\(column): " + (severity == .warning ? "warning: " : "") + message
        }
    }
}
