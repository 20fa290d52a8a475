import Foundation
public import NIOCore
public import SluiceMediation
public import SluiceModel

/// The access log and correlation ids of one gateway, decided at start: when both are off nothing of this runs
/// (the handler is not installed, the exchange annotates nothing). The ``AccessLogWriter`` service drains the
/// buffer.
public final class GatewayAccessLog: Sendable {
    /// The request header holding the correlation id, as WSO2 names it.
    public static let correlationHeader = "activityid"

    public let settings: AccessLogSettings
    public let format: AccessLogFormat
    /// Where records wait for the writer; nil when only correlation ids are on.
    public let buffer: AccessLogBuffer?
    /// Epoch milliseconds, for the line's time.
    let clock: EpochClock
    /// The monotonic clock latencies are measured on.
    let now: @Sendable () -> NIODeadline
    /// Makes a correlation id for a request without one.
    let makeCorrelationID: @Sendable () -> String

    /// Creates the access log of a gateway; tests inject the clocks and the id maker.
    /// - Throws: ``AccessLogFormatError`` for a bad format.
    public init(
        settings: AccessLogSettings,
        clock: EpochClock = .system,
        now: @escaping @Sendable () -> NIODeadline = { .now() },
        makeCorrelationID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) throws(AccessLogFormatError) {
        self.settings = settings
        self.format = try AccessLogFormat(settings.format)
        self.buffer = settings.enabled ? AccessLogBuffer(capacity: settings.bufferSize) : nil
        self.clock = clock
        self.now = now
        self.makeCorrelationID = makeCorrelationID
    }
}

/// What the exchange tells the access log about its call once it is known (fired toward the socket just before
/// the response head): the API, application and user.
struct AccessLogAnnotation {
    var api: String?
    var application: String?
    var user: String?
}
