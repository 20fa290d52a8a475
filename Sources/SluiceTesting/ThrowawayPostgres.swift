import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A PostgreSQL server of the tests' own, started with `scripts/postgres` (initdb in a `mktemp -d` folder, a free
/// loopback port, trust authentication on loopback, no durability). Without PostgreSQL installed, starting one
/// throws with the reason, so the PostgreSQL tests fail loudly instead of being skipped.
public struct ThrowawayPostgres: Sendable {
    /// `postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable`.
    public let url: String
    /// The server's folder (data, log, socket); nil for a server given by `SLUICE_TEST_POSTGRES_URL`.
    public let directory: String?

    /// The package's root folder (this file is in `Sources/SluiceTesting/`).
    public static let packageRoot: String = {
        let file = #filePath
        return String(file[..<(file.range(of: "/Sources/SluiceTesting/")?.lowerBound ?? file.endIndex)])
    }()

    private static let script = packageRoot + "/scripts/postgres"
    private static let sharedServer = NIOLockedValueBox<Result<ThrowawayPostgres, any Error>?>(nil)

    /// The server every test of this process shares: `SLUICE_TEST_POSTGRES_URL` when set, else one started on
    /// first use and stopped when the process exits. Tests isolate themselves with a database each.
    /// - Throws: ``ThrowawayPostgresError`` when the server cannot start (every later call throws it again).
    public static func shared() throws -> ThrowawayPostgres {
        let result = sharedServer.withLockedValue { state in
            if let state { return state }
            let result: Result<ThrowawayPostgres, any Error>
            if let url = ProcessInfo.processInfo.environment["SLUICE_TEST_POSTGRES_URL"], !url.isEmpty {
                result = .success(ThrowawayPostgres(url: url, directory: nil))
            } else {
                result = Result { try start() }
                if case .success = result { atexit { ThrowawayPostgres.stopShared() } }
            }
            state = result
            return result
        }
        return try result.get()
    }

    /// Starts a server of the caller's own, which the caller stops.
    /// - Throws: ``ThrowawayPostgresError`` with the script's explanation (PostgreSQL not installed, ...).
    public static func start() throws -> ThrowawayPostgres {
        let result = try run(script, ["start"])
        guard result.status == 0 else {
            throw ThrowawayPostgresError(description: "scripts/postgres start failed (\(result.status)): \(result.error)")
        }
        var values: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            let parts = line.replacingOccurrences(of: "export ", with: "").split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        guard let url = values["SLUICE_TEST_POSTGRES_URL"], let directory = values["SLUICE_POSTGRES_DIR"] else {
            throw ThrowawayPostgresError(description: "scripts/postgres start printed: \(result.output)")
        }
        return ThrowawayPostgres(url: url, directory: directory)
    }

    /// Stops the server and starts it again on the same port and data.
    public func restart() throws {
        guard let directory else { throw ThrowawayPostgresError(description: "a server given by URL is not restarted") }
        let result = try Self.run(Self.script, ["restart", directory])
        guard result.status == 0 else {
            throw ThrowawayPostgresError(description: "scripts/postgres restart failed: \(result.error)")
        }
    }

    /// Stops the server and deletes its folder (a server given by URL is left alone).
    public func stop() {
        guard let directory else { return }
        _ = try? Self.run(Self.script, ["stop", directory])
    }

    private static func stopShared() {
        let server = sharedServer.withLockedValue { state in try? state?.get() }
        server?.stop()
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module does not
    /// declare; nil on an older C library, where the close-on-exec sweep stands in (with its small window).
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(
            symbol,
            to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self
        )
    }()

    /// Runs a command to its end, its output going through files. `posix_spawn` and `waitpid` rather than
    /// `Process`: the database server the command starts outlives it and inherits its streams, which keeps
    /// Foundation's `Process` from ever noticing the command's end.
    private static func run(
        _ executable: String,
        _ arguments: [String]
    ) throws -> (status: Int32, output: String, error: String) {
        let folder = NSTemporaryDirectory() + "sluice-postgres-run-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (outputPath, errorPath) = (folder + "/out", folder + "/err")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Nothing else of this process goes along: `pg_ctl` leaves the database server running for the whole run,
        // and the suite's sockets and pipes have no close-on-exec (NIO accepts without it, Foundation's pipes too).
        // A server holding a gateway's connection kept its close from sending a FIN (the idle-timeout tests), and
        // one holding a pipe's write end would keep a reader of that pipe from ever seeing its end.
        if let closeFrom = Self.closeFrom {
            _ = closeFrom(&actions, 3)
        } else {
            Process.markDescriptorsCloseOnExec()
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw ThrowawayPostgresError(description: "cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let error = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return (exitStatus, output, error)
    }
}

/// Why the test server is not available.
public struct ThrowawayPostgresError: Error, CustomStringConvertible {
    public var description: String
}
