import Foundation
import SluiceTesting
import Testing

/// A real `sluice server` and `sluice-backend` on free loopback ports over a copy of the shipped repository, for
/// process-level tests of the command line. Call ``stop()`` at the end (both processes are also stopped when the
/// value goes away).
final class SluiceServerProcess {
    static let packageRoot: String = {
        let file = #filePath
        return String(file[..<file.range(of: "/Tests/SluiceCLITests/")!.lowerBound])
    }()

    static let binaries = packageRoot + "/.build/debug"
    static let sluice = binaries + "/sluice"
    static let adminPassword = "Remote-CLI-Test-1"

    let workspace: String
    let gatewayPort: Int
    let managementPort: Int
    let gatewayHTTPSPort: Int
    let managementHTTPSPort: Int
    let backendPort: Int
    private var processes: [Process] = []

    var managementURL: String { "http://127.0.0.1:\(managementPort)" }
    var gatewayURL: String { "http://127.0.0.1:\(gatewayPort)" }
    var backendURL: String { "http://127.0.0.1:\(backendPort)/pizzashack" }
    var managementHTTPSURL: String { "https://localhost:\(managementHTTPSPort)" }
    var gatewayHTTPSURL: String { "https://localhost:\(gatewayHTTPSPort)" }
    /// The self-signed certificate the first start generates (what `curl --cacert` is given).
    var certificatePath: String { workspace + "/repository/resources/security/sluice.crt" }

    /// Free ports and a workspace, without starting anything (the walk-through test lets its script start them).
    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.sluice), "build the package first")
        workspace = NSTemporaryDirectory() + "sluice-cli-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        (gatewayPort, managementPort, backendPort) = (try FreePort.next(), try FreePort.next(), try FreePort.next())
        (gatewayHTTPSPort, managementHTTPSPort) = (try FreePort.next(), try FreePort.next())
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

    /// Starts the backend and the server and waits until the management API answers.
    /// - Parameter prepare: Edits the copied repository (given its path) before the server starts.
    func start(prepare: (String) throws -> Void = { _ in }) async throws {
        let repository = workspace + "/repository"
        try Self.copyShippedRepository(to: repository)
        try prepare(repository)
        processes.append(try launch(Self.binaries + "/sluice-backend", ["--port", "\(backendPort)"]))
        processes.append(
            try launch(
                Self.sluice,
                output: serverOutputPath,
                [
                    "server", "--repository", repository, "--gateway-port", "\(gatewayPort)",
                    "--management-port", "\(managementPort)", "--gateway-https-port", "\(gatewayHTTPSPort)",
                    "--management-https-port", "\(managementHTTPSPort)", "--log-level", "warning",
                ],
                environment: ["SLUICE_ADMIN_PASSWORD": Self.adminPassword]
            )
        )
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let answer = try? await HTTP.send("GET", managementURL + "/api/am/openapi.json"), answer.status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the management API did not answer within 30 s")
    }

    func stop() {
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
        processes.removeAll()
    }

    /// Runs a command to its end; output goes through files, so neither stream can fill a pipe and block.
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
        try process.run()
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

    private func launch(
        _ binary: String,
        output: String? = nil,
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
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
