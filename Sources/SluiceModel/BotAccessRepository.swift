/// Where the gateway's bot-trap records (``BotAccess``) are kept and the admin API reads them.
///
/// Like ``UsageRepository`` it lives with the values it stores, so the gateway writes bot records without linking
/// the database stack; the storage modules implement it.
public protocol BotAccessRepository: Sendable {
    /// Stores records in one transaction, then deletes the oldest so that at most `limit` remain.
    /// - Parameters:
    ///   - accesses: The batch, in any order.
    ///   - limit: How many records are kept at most (the newest by `recordedTime`).
    func insertBotAccesses(_ accesses: [BotAccess], keepingNewest limit: Int) async throws
    /// Every stored record, newest first.
    func botAccesses() async throws -> [BotAccess]
    /// Deletes the records older than `before` (epoch milliseconds).
    /// - Returns: How many were deleted.
    func deleteBotAccesses(before: Int64) async throws -> Int
}
