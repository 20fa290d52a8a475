/// The gateway's access log and correlation ids (`<AccessLog>` in `api-manager.xml`), off by default.
public struct AccessLogSettings: Sendable, Hashable {
    /// Where lines go.
    public enum Destination: Sendable, Hashable {
        /// Standard output.
        case standardOutput
        /// A file, renamed to `.1` (`.2`...) when it reaches `maxFileBytes`; `maxFiles` old files are kept.
        case file(path: String, maxFileBytes: Int, maxFiles: Int)
    }

    /// The format WSO2's gateway access log resembles (NCSA common log format, then latency, API, application and
    /// correlation id): `127.0.0.1 - alice [07/Dec/2026:03:10:00 +0000] "GET /pizza/1.0.0/menu HTTP/1.1" 200 512
    /// 12 "admin--Pizza:1.0.0" "Shop" 0f3c...`.
    public static let defaultFormat = #"%h - %u %t "%r" %s %b %D "%{api}x" "%{application}x" %{activityid}x"#

    /// Whether each gateway request gets a line (`<Enabled>`).
    public var enabled: Bool
    /// Whether requests without an `activityid` header get one (passed to the backend, written in the gateway's
    /// logs); on whenever the access log is (`<CorrelationIDs>`).
    public var correlationIDs: Bool
    /// The line pattern (`<Format>`), see ``AccessLogFormat``.
    public var format: String
    public var destination: Destination
    /// Lines waiting to be written at most (`<BufferSize>`); past it lines are dropped and counted.
    public var bufferSize: Int

    /// Creates settings.
    public init(
        enabled: Bool = false,
        correlationIDs: Bool = false,
        format: String = AccessLogSettings.defaultFormat,
        destination: Destination = .standardOutput,
        bufferSize: Int = 10_000
    ) {
        self.enabled = enabled
        self.correlationIDs = correlationIDs
        self.format = format
        self.destination = destination
        self.bufferSize = bufferSize
    }

    /// Whether the gateway installs its access-log handler at all.
    public var isActive: Bool { enabled || correlationIDs }
    /// Whether requests without an `activityid` get one: with correlation ids on, and always with the log.
    public var generatesCorrelationIDs: Bool { enabled || correlationIDs }
}
