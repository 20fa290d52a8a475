public import SluiceModel

/// Where `BotDetectionMediator` hands its records: a bounded queue that a background service writes to storage
/// (`BotAccessQueue` in `SluiceAnalytics`). ``offer(_:)`` runs on the event loop: it must neither block nor wait.
public protocol BotAccessSink: Sendable {
    /// Takes a record, or drops it when full.
    func offer(_ access: BotAccess)
}
