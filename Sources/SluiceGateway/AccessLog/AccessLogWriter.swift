import Foundation
public import Logging
public import ServiceLifecycle
import SluiceModel

/// Writes the access log as a `Service`, off the event loops: every `flushInterval` it drains the buffer, formats
/// the lines and appends them to standard output or to a file that rotates by size (`access.log` becomes
/// `access.log.1`, the oldest beyond `maxFiles` goes). On graceful shutdown it writes what is left.
public final class AccessLogWriter<C: Clock>: Service where C.Duration == Duration {
    private let log: GatewayAccessLog
    private let buffer: AccessLogBuffer
    private let flushInterval: Duration
    private let clock: C
    private let logger: Logger
    private let sink: AccessLogSink

    /// Creates the writer of `log` (whose buffer must exist: the access log is on).
    public init(log: GatewayAccessLog, flushInterval: Duration = .milliseconds(200), clock: C, logger: Logger) {
        self.log = log
        self.buffer = log.buffer ?? AccessLogBuffer(capacity: 1)
        self.flushInterval = flushInterval
        self.clock = clock
        self.logger = logger
        self.sink = AccessLogSink(destination: log.settings.destination)
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            flush()
            do {
                try await cancelWhenGracefulShutdown { [clock, flushInterval] in
                    try await clock.sleep(for: flushInterval)
                }
            } catch {
                break
            }
        }
        flush()
        sink.close()
    }

    /// Writes every record waiting now; returns how many lines were written.
    @discardableResult
    public func flush() -> Int {
        var written = 0
        while true {
            let records = buffer.drain(maxCount: 1_000)
            guard !records.isEmpty else { return written }
            var text = ""
            for record in records {
                text += log.format.line(record)
                text += "\n"
            }
            do {
                try sink.write(text)
                written += records.count
            } catch {
                logger.error(
                    "Access log lines could not be written",
                    metadata: ["sluice.accesslog.lines": .stringConvertible(records.count), "sluice.error": "\(error)"]
                )
            }
        }
    }
}

extension AccessLogWriter where C == ContinuousClock {
    /// Creates the writer on the continuous clock.
    public convenience init(log: GatewayAccessLog, flushInterval: Duration = .milliseconds(200), logger: Logger) {
        self.init(log: log, flushInterval: flushInterval, clock: ContinuousClock(), logger: logger)
    }
}

/// Standard output, or a file rotated by size. Used by the writer's task only.
final class AccessLogSink: @unchecked Sendable {
    private let destination: AccessLogSettings.Destination
    private var handle: FileHandle?
    private var size = 0

    init(destination: AccessLogSettings.Destination) {
        self.destination = destination
    }

    func write(_ text: String) throws {
        let data = Data(text.utf8)
        guard case .file(let path, let maxFileBytes, let maxFiles) = destination else {
            try FileHandle.standardOutput.write(contentsOf: data)
            return
        }
        if handle != nil, size > 0, size + data.count > maxFileBytes {
            close()
            try Self.rotate(path, keeping: maxFiles)
        }
        if handle == nil { try open(path) }
        try handle?.write(contentsOf: data)
        size += data.count
    }

    func close() {
        try? handle?.close()
        handle = nil
    }

    private func open(_ path: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        if !manager.fileExists(atPath: path) { _ = manager.createFile(atPath: path, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        size = Int(try handle.seekToEnd())
        self.handle = handle
    }

    /// `path.{n-1}` → `path.n` down to `path` → `path.1`; with `keeping` 0 the full file is dropped.
    static func rotate(_ path: String, keeping: Int) throws {
        let manager = FileManager.default
        guard keeping > 0 else {
            try? manager.removeItem(atPath: path)
            return
        }
        try? manager.removeItem(atPath: "\(path).\(keeping)")
        for index in stride(from: keeping - 1, through: 1, by: -1) where manager.fileExists(atPath: "\(path).\(index)") {
            try manager.moveItem(atPath: "\(path).\(index)", toPath: "\(path).\(index + 1)")
        }
        try manager.moveItem(atPath: path, toPath: "\(path).1")
    }
}
