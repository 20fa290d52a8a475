public import ServiceLifecycle

/// Stores the tokens still waiting to be written behind their answers when the node shuts down gracefully.
///
/// Listed before the servers that issue tokens, it is told to stop after them (a service group stops its services
/// in reverse order), so no token is issued after its flush.
public struct TokenWriteFlushService: Service {
    private let keyManager: KeyManager

    /// Creates the service.
    /// - Parameter keyManager: Whose token writes to finish.
    public init(keyManager: KeyManager) {
        self.keyManager = keyManager
    }

    /// Waits for graceful shutdown (or cancellation), then flushes.
    public func run() async throws {
        try? await gracefulShutdown()
        await keyManager.flushTokenWrites()
    }
}
