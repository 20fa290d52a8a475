public import Logging
public import ServiceLifecycle
public import SluiceStorage
import Synchronization

/// Artifacts the publisher wrote, on their way to the shared database, in the order written. The publisher's
/// deployer is synchronous; the outbox lets it return at once while this service stores the files, retrying with
/// backoff while the database is away (the publisher's own writes fail then too, so little queues up).
///
/// Only the latest content of a file matters: a file written twice before it is stored is stored once.
public final class ArtifactOutbox: Service {
    private struct Pending {
        var order: [String] = []
        var contents: [String: String?] = [:]
    }

    private let storage: any ClusterRepository
    private let logger: Logger
    private let pending = Mutex(Pending())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// Creates an empty outbox.
    /// - Parameters:
    ///   - storage: The shared artifacts.
    ///   - logger: For failed attempts.
    public init(storage: any ClusterRepository, logger: Logger) {
        self.storage = storage
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a file (nil content: removed).
    public func enqueue(fileName: String, content: String?) {
        pending.withLock { pending in
            if pending.contents.updateValue(content, forKey: fileName) == nil { pending.order.append(fileName) }
        }
        wake.yield()
    }

    /// Files waiting to be stored.
    public var count: Int { pending.withLock { $0.order.count } }

    /// Stores queued files until graceful shutdown, then once more, so a file published just before is not lost.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5))
            for await _ in self.wakeups {
                while !Task.isCancelled, !(await self.flush()) {
                    try? await Task.sleep(for: backoff.next())
                }
                backoff.reset()
            }
        }
        _ = await flush()
    }

    /// Stores every queued file in order.
    /// - Returns: False when storage failed (the file stays queued).
    @discardableResult
    public func flush() async -> Bool {
        while let (fileName, content) = next() {
            do {
                try await storage.storeArtifact(fileName: fileName, content: content)
                pending.withLock { pending in
                    // Written again meanwhile: keep the newer content queued.
                    guard pending.contents[fileName] == content else { return }
                    pending.contents[fileName] = nil
                    pending.order.removeFirst()
                }
            } catch {
                logger.warning(
                    "Artifact not yet stored for the cluster's gateways: retrying",
                    metadata: ["sluice.file": "\(fileName)", "sluice.error": "\(error)"]
                )
                return false
            }
        }
        return true
    }

    private func next() -> (String, String?)? {
        pending.withLock { pending in
            guard let fileName = pending.order.first, let content = pending.contents[fileName] else { return nil }
            return (fileName, content)
        }
    }
}
