import Foundation
import SluiceTesting
import Testing

/// A real `sluice server` and `sluice-backend` on loopback over a copy of the shipped repository, for process-level
/// tests of the command line. Both bind port 0 and tell which ports they got (the server through `--ports-file`, the
/// backend on its first output line): a port picked free beforehand can be taken by another test, or by the
/// client end of any loopback connection, before the process binds it. The one exception, the management HTTPS
/// port (the JWT issuer names it), is retried on a clash. Call ``stop()`` at the end (both processes
/// are also stopped when the value goes away).
final class SluiceServerProcess {
    static let packageRoot: String = {
        let file = #filePath
        return String(file[..<file.range(of: "/Tests/SluiceCLITests/")!.lowerBound])
    }()

    static let binaries = packageRoot + "/.build/debug"
    static let sluice = binaries + "/sluice"
    static let adminPassword = "Remote-CLI-Test-1"

    let workspace: String
    /// The ports, known once ``start(prepare:)`` has returned (0 before).
    private(set) var gatewayPort = 0
    private(set) var managementPort = 0
    private(set) var gatewayHTTPSPort = 0
    private(set) var managementHTTPSPort = 0
    private(set) var backendPort = 0
    private var processes: [Process] = []

    var managementURL: String { "http://127.0.0.1:\(managementPort)" }
    var gatewayURL: String { "http://127.0.0.1:\(gatewayPort)" }
    var backendURL: String { "http://127.0.0.1:\(backendPort)/pizzashack" }
    var managementHTTPSURL: String { "https://localhost:\(managementHTTPSPort)" }
    var gatewayHTTPSURL: String { "https://localhost:\(gatewayHTTPSPort)" }
    /// The self-signed certificate the first start generates (what `curl --cacert` is given).
    var certificatePath: String { workspace + "/repository/resources/security/sluice.crt" }

    /// A workspace, without starting anything (the walk-through test lets its script start the processes).
    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.sluice), "build the package first")
        workspace = NSTemporaryDirectory() + "sluice-cli-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: workspace)
    }

    /// Copies the repository folder of this checkout without what a manual `scripts/start` here may have left
    /// (git ignores both): the database and the generated key pair, which would make the copy's start not a first
    /// one, or a failed one.
    static func copyShippedRepository(to repository: String) throws {
        try FileManager.default.copyItem(atPath: packageRoot + "/repository", toPath: repository)
        for generated in ["/database", "/resources/security/sluice.crt", "/resources/security/sluice.key"] {
            try? FileManager.default.removeItem(atPath: repository + generated)
        }
    }

    /// Starts the backend and the server, learns their ports and waits until the management API answers.
    /// - Parameters:
    ///   - firstManagementHTTPSPort: The management HTTPS port of the first attempt (a test of the retry gives a
    ///     taken one); later attempts, and the first without it, pick a free port.
    ///   - prepare: Edits the copied repository (given its path) before the server starts.
    /// - Returns: How many starts it took.
    @discardableResult
    func start(firstManagementHTTPSPort: Int? = nil, prepare: (String) throws -> Void = { _ in }) async throws -> Int {
        let repository = workspace + "/repository"
        let backendOutput = workspace + "/backend.out"
        let backend = try launch(Self.binaries + "/sluice-backend", output: backendOutput, ["--port", "0"])
        processes.append(backend)
        backendPort = try await Self.waitForBackendPort(backend, output: backendOutput)
        let (ports, attempts) = try await launchServer(
            repository: repository,
            portsFile: workspace + "/ports.json",
            firstManagementHTTPSPort: firstManagementHTTPSPort,
            prepare: prepare
        )
        gatewayPort = ports.gateway
        gatewayHTTPSPort = ports.gatewayHTTPS
        managementPort = ports.management
        managementHTTPSPort = ports.managementHTTPS
        // Every listener is bound by now; the management API answers at once, but give a loaded machine time.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let answer = try? await HTTP.send("GET", managementURL + "/api/am/openapi.json"), answer.status == 200 {
                return attempts
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the management API did not answer within 60 s")
        return attempts
    }

    /// Starts `sluice server` and returns the ports it bound and how many starts that took. Every listener binds
    /// port 0 but the management HTTPS one: the JWT issuer names its port, configured before anything is bound. A
    /// port picked free can be taken before the server binds it (by any loopback client socket); the server then
    /// exits saying so, and starts again on another, three times at most.
    private func launchServer(
        repository: String,
        portsFile: String,
        firstManagementHTTPSPort: Int?,
        prepare: (String) throws -> Void
    ) async throws -> (ports: (gateway: Int, gatewayHTTPS: Int, management: Int, managementHTTPS: Int), attempts: Int) {
        var attempts = 0
        while true {
            attempts += 1
            // A fresh copy each time: the attempt that lost its port may have made the database and certificate.
            try? FileManager.default.removeItem(atPath: repository)
            try Self.copyShippedRepository(to: repository)
            try prepare(repository)
            let httpsPort = try attempts == 1 ? firstManagementHTTPSPort ?? FreePort.next() : FreePort.next()
            let server = try launch(
                Self.sluice,
                output: serverOutputPath,
                errors: serverErrorsPath,
                [
                    "server", "--repository", repository, "--gateway-port", "0", "--management-port", "0",
                    "--gateway-https-port", "0", "--management-https-port", "\(httpsPort)", "--log-level", "warning",
                    "--ports-file", portsFile,
                ],
                environment: ["SLUICE_ADMIN_PASSWORD": Self.adminPassword]
            )
            processes.append(server)
            do {
                return (try await Self.waitForPorts(server, file: portsFile, errors: serverErrorsPath), attempts)
            } catch let exited as ServerExited where exited.lostItsPort && attempts < 3 {
                continue
            }
        }
    }

    /// `sluice server` ended before writing its ports file.
    struct ServerExited: Error, CustomStringConvertible {
        let status: Int32
        let errors: String
        /// Whether it could not bind a port (one another socket took).
        var lostItsPort: Bool { errors.contains("Address already in use") }
        var description: String { "sluice server exited with status \(status):\n\(errors)" }
    }

    /// The port `sluice-backend --port 0` got, from its first output line.
    static func waitForBackendPort(_ backend: Process, output: String) async throws -> Int {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("sluice-backend listening on ") }),
                let port = line.split(separator: ":").last.flatMap({ Int($0) })
            {
                return port
            }
            try #require(backend.isRunning, "sluice-backend exited with status \(backend.terminationStatus)")
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("sluice-backend did not say its port within 60 s")
        throw CancellationError()
    }

    /// The ports `sluice server --ports-file` wrote, every listener of the shipped repository included.
    /// - Throws: ``ServerExited`` when the server ends first.
    static func waitForPorts(
        _ server: Process,
        file: String,
        errors: String
    ) async throws -> (gateway: Int, gatewayHTTPS: Int, management: Int, managementHTTPS: Int) {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let data = FileManager.default.contents(atPath: file) {
                let ports = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Int], "\(file)")
                return (
                    try #require(ports["gateway"]), try #require(ports["gatewayHTTPS"]),
                    try #require(ports["management"]), try #require(ports["managementHTTPS"])
                )
            }
            if !server.isRunning {
                let failure = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
                throw ServerExited(status: server.terminationStatus, errors: failure)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("sluice server did not write its ports within 60 s")
        throw CancellationError()
    }

    /// Stops every process. A server still running 30 s after SIGTERM gets SIGKILL and the test records an issue:
    /// a server that ignores SIGTERM is a bug to see, not a wait without end on a cooperative thread. (Stop 32's
    /// hangs here were not such a server: Foundation had stopped seeing child exits, see
    /// `Process.runWithoutInheritedDescriptors()`.)
    func stop() {
        for process in processes where process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(30)
        for process in processes {
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning {
                Issue.record("sluice server \(process.processIdentifier) still ran 30 s after SIGTERM; killed (its log: \(serverErrorsPath))")
                Glibc.kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()
        }
        processes.removeAll()
    }

    /// Runs a command to its end, suspended meanwhile (``ChildProcess``); `SLUICE_PASSWORD` is passed only when
    /// given, never inherited from the environment of the tests.
    func execute(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        input: String? = nil
    ) async throws -> (status: Int32, output: String, error: String) {
        var variables: [String: String?] = environment.mapValues { $0 }
        variables["SLUICE_PASSWORD"] = .some(environment["SLUICE_PASSWORD"])
        let outcome = try await ChildProcess.run(
            executable, arguments, environment: variables, input: input, scratch: workspace
        )
        return (outcome.status, outcome.output, outcome.error)
    }

    /// Runs a command to its end, blocking the calling thread: one of the cooperative pool's few, so every other
    /// test waits while it is held. Prefer ``execute(_:_:environment:input:)``; this stays for callers that are
    /// not async. Output goes through files, so neither stream can fill a pipe and block.
    func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        input: String? = nil
    ) throws -> (status: Int32, output: String, error: String) {
        let id = UUID().uuidString
        let outPath = workspace + "/\(id).out"
        let errPath = workspace + "/\(id).err"
        for path in [outPath, errPath] where !FileManager.default.createFile(atPath: path, contents: nil) {
            throw CocoaError(.fileWriteUnknown)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        merged["SLUICE_PASSWORD"] = environment["SLUICE_PASSWORD"]
        process.environment = merged
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let stdin = Pipe()
        process.standardInput = stdin
        try process.runWithoutInheritedDescriptors()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let error = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output, error)
    }

    /// What the server printed on standard output (the generated certificate's path and fingerprint).
    var serverOutput: String { (try? String(contentsOfFile: serverOutputPath, encoding: .utf8)) ?? "" }
    private var serverOutputPath: String { workspace + "/server.out" }
    private var serverErrorsPath: String { workspace + "/server.err" }

    private func launch(
        _ binary: String,
        output: String? = nil,
        errors: String? = nil,
        _ arguments: [String],
        environment: [String: String] = [:]
    ) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let output, FileManager.default.createFile(atPath: output, contents: nil) {
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        if let errors, FileManager.default.createFile(atPath: errors, contents: nil) {
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.runWithoutInheritedDescriptors()
        return process
    }
}
