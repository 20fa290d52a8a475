/// How the gateway stores usage (`<Analytics>` in `api-manager.xml`): per-minute rollups always, raw per-request
/// events for a sampled share of the calls when switched on, each kept for a retention period.
public struct UsageSettings: Sendable, Hashable {
    /// The share of calls that also get a raw event, 0 (off) to 1 (`<RawEventSampleRate>`); 0 by default.
    public var rawEventSampleRate: Double
    /// Days the rollups are kept (`<RollupRetentionDays>`); 90 by default.
    public var rollupRetentionDays: Int
    /// Days raw events are kept (`<RawEventRetentionDays>`); 7 by default.
    public var rawEventRetentionDays: Int

    /// Creates settings.
    public init(rawEventSampleRate: Double = 0, rollupRetentionDays: Int = 90, rawEventRetentionDays: Int = 7) {
        self.rawEventSampleRate = rawEventSampleRate
        self.rollupRetentionDays = rollupRetentionDays
        self.rawEventRetentionDays = rawEventRetentionDays
    }
}
