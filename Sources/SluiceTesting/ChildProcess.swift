import Foundation

/// Runs a command to its end without blocking a thread: the test waits in a suspension while the process runs.
/// A test that calls `waitUntilExit()` instead holds one of the few threads of Swift's cooperative pool (two on a
/// two-core machine) for as long as the command takes, and every other test of the process, in-process servers
/// included, waits for a thread in the meantime.
public enum ChildProcess {
    /// What a finished command left.
    public struct Outcome: Sendable {
        /// The exit status (or the signal's number when it was killed).
        public let status: Int32
        /// Its standard output.
        public let output: String
        /// Its standard error.
        public let error: String
    }

    /// Runs `executable` with `arguments` and waits, suspended, until it ends. Output goes through files, so
    /// neither stream can fill a pipe and block the command.
    /// - Parameters:
    ///   - executable: The program's path.
    ///   - arguments: Its arguments.
    ///   - environment: Added to (and overriding) this process's environment; a nil value removes the variable.
    ///   - input: Written to its standard input, which is then closed.
    ///   - scratch: The folder for the output files (removed afterwards).
    /// - Returns: The exit status and both outputs.
    /// - Throws: When the program cannot be started or the files cannot be made.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String?] = [:],
        input: String? = nil,
        scratch: String = NSTemporaryDirectory()
    ) async throws -> Outcome {
        let id = UUID().uuidString
        let outPath = scratch + "/child-\(id).out"
        let errPath = scratch + "/child-\(id).err"
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        for path in [outPath, errPath] where !FileManager.default.createFile(atPath: path, contents: nil) {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (name, value) in environment { merged[name] = value }
        process.environment = merged
        let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = outHandle
        process.standardError = errHandle
        let stdin = Pipe()
        process.standardInput = stdin
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            // Set before the start, so an exit right away still calls it; Foundation calls it on its own thread.
            process.terminationHandler = { ended in continuation.resume(returning: ended.terminationStatus) }
            do {
                try process.runWithoutInheritedDescriptors()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
            try? stdin.fileHandleForWriting.close()
        }
        try? outHandle.close()
        try? errHandle.close()
        return Outcome(
            status: status,
            output: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            error: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        )
    }
}
