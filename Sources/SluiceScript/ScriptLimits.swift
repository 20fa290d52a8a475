/// How long and how much memory one script call may take. A script that runs past the time limit is stopped inside
/// the engine (checked every 256k bytecode instructions); one that allocates past the memory limit gets an
/// out-of-memory error. Either way the call fails and its engine heap is replaced.
public struct ScriptLimits: Sendable {
    /// Wall time of one call, measured by `clock`.
    public var timeLimit: Duration
    /// Bytes the engine heap of one thread may hold (its built-ins, every loaded script, and the call's data).
    public var memoryLimit: Int
    /// The monotonic clock the time limit is measured with; tests inject one.
    public var clock: ScriptClock

    public init(timeLimit: Duration, memoryLimit: Int, clock: ScriptClock = .monotonic) {
        self.timeLimit = timeLimit
        self.memoryLimit = memoryLimit
        self.clock = clock
    }

    /// 2 seconds and 32 MiB: far above what a mediation script needs, low enough that a runaway one is stopped
    /// before it matters.
    public static let standard = ScriptLimits(timeLimit: .seconds(2), memoryLimit: 32 << 20)
}

/// Nanoseconds from a monotonic clock.
public struct ScriptClock: Sendable {
    public let nanoseconds: @Sendable () -> UInt64

    public init(nanoseconds: @escaping @Sendable () -> UInt64) {
        self.nanoseconds = nanoseconds
    }

    /// The system's monotonic clock.
    public static let monotonic = ScriptClock { ScriptClock.elapsedNanoseconds() }

    private static let origin = ContinuousClock.now

    private static func elapsedNanoseconds() -> UInt64 {
        let elapsed = origin.duration(to: .now)
        return UInt64(elapsed.components.seconds) &* 1_000_000_000
            &+ UInt64(elapsed.components.attoseconds / 1_000_000_000)
    }
}
