import Foundation
import NIOPosix

/// The threads PBKDF2 runs on: a hash or a check costs ~100 ms of CPU, which must not occupy the cooperative
/// executors every request shares (a burst of sign-ins would stall the token endpoint and the portals). The pool
/// has one thread per core; further work waits in its queue, and the ``LoginThrottle`` keeps guessers from
/// filling it.
enum PasswordHashingPool {
    /// Started once, lives as long as the process (like NIO's singletons).
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, ProcessInfo.processInfo.activeProcessorCount))
        pool.start()
        return pool
    }()

    /// Runs `body` on the pool and returns its result.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}
