/// One call to WSO2's bot trap (`_OpenService_`, context `/service`), as its `BotDetectionMediator` records it and
/// the admin REST API's `GET /bot-detection-data` lists it.
///
/// The texts are already bounded when the gateway records them (``maxTextBytes``), so a flood of bot requests with
/// huge headers or bodies cannot grow memory or the database beyond the record limits.
public struct BotAccess: Sendable, Hashable {
    /// When the gateway saw the call, epoch milliseconds (WSO2's `recordedTime`).
    public var recordedTime: Int64
    /// The message's id, `urn:uuid:...` (WSO2's `messageID`).
    public var messageID: String
    /// The request method (WSO2's `apiMethod`).
    public var method: String
    /// The request headers as WSO2 prints its header map: `[Name=value, Name=value]` (WSO2's `headerSet`).
    public var headerSet: String
    /// The message body as WSO2 prints its SOAP body (WSO2's `messageBody`).
    public var messageBody: String
    /// The caller's address (WSO2's `clientIp`).
    public var clientIP: String

    /// The most UTF-8 bytes the gateway keeps of `headerSet` and of `messageBody` each; longer texts are cut at a
    /// character boundary and end with ``truncationMark``.
    public static let maxTextBytes = 4_096
    /// Ends a text the gateway cut to ``maxTextBytes``.
    public static let truncationMark = "...(truncated)"
    /// Records stored at most by default (the newest): with each text bounded, about 8 MiB of rows, and of the
    /// admin API's answer, at worst.
    public static let defaultStoredLimit = 1_000
    /// Days records are kept by default.
    public static let defaultRetentionDays = 30

    /// Creates a record.
    public init(
        recordedTime: Int64,
        messageID: String,
        method: String,
        headerSet: String,
        messageBody: String,
        clientIP: String
    ) {
        self.recordedTime = recordedTime
        self.messageID = messageID
        self.method = method
        self.headerSet = headerSet
        self.messageBody = messageBody
        self.clientIP = clientIP
    }

    /// `text` cut to at most ``maxTextBytes`` UTF-8 bytes (the mark included), at a character boundary.
    public static func bounded(_ text: String) -> String {
        guard text.utf8.count > maxTextBytes else { return text }
        let budget = maxTextBytes - truncationMark.utf8.count
        var kept = 0
        var end = text.startIndex
        for index in text.indices {
            let size = text[index].utf8.count
            guard kept + size <= budget else { break }
            kept += size
            end = text.index(after: index)
        }
        return String(text[..<end]) + truncationMark
    }
}
