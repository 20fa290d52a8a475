/// `<recipientlist>`: every recipient gets its own copy of the message, at once.
///
/// The recipients are child `<endpoint>`s, or `<endpoints value="url,url" [max-cache=]/>`, a comma-separated list of
/// addresses that may be a `{expression}` evaluated per message (Synapse's dynamic recipient list).
public struct RecipientListEndpoint: Sendable, Hashable {
    public enum Recipients: Sendable, Hashable {
        /// `<endpoint>` children.
        case endpoints([EndpointDefinition])
        /// `<endpoints value= [max-cache=]/>`: `value` is a literal list or a `{expression}` giving one; `maxCache`
        /// bounds how many address endpoints (with their suspension state) are kept for the addresses seen
        /// (Synapse's default 20).
        case addresses(ValueSource, maxCache: Int?)
    }

    public var recipients: Recipients

    public init(recipients: Recipients) {
        self.recipients = recipients
    }

    /// Synapse's pool size for a dynamic list without `max-cache`.
    public static let defaultMaxCache = 20
}
