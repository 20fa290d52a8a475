public import Foundation
public import SluiceModel

/// One change other nodes must learn of, in the order the database committed it.
///
/// The subject names what changed; a node reads the current state of that thing from storage (a deleted thing
/// reads as absent), so applying an event twice, or a later event before an earlier one is noticed, does no harm.
public struct ClusterEvent: Sendable, Hashable {
    /// Versions grow by one with every change, in commit order.
    public var version: Int64
    /// What kind of thing changed.
    public var topic: Topic
    /// Which one: an id, a file name, a family, hashes; see each topic.
    public var subject: String

    /// Creates an event.
    public init(version: Int64, topic: Topic, subject: String) {
        self.version = version
        self.topic = topic
        self.subject = subject
    }

    /// What kind of thing changed.
    public enum Topic: String, Sendable, Hashable, CaseIterable {
        /// An API was created, edited, deleted or changed lifecycle state; the subject is its id.
        case api
        /// An application was created, edited or deleted (with its keys, tokens, subscriptions); its id.
        case application
        /// A consumer key was created; the key.
        case consumerKey = "consumer-key"
        /// A subscription was created, changed or deleted; its id.
        case subscription
        /// Every token of a family was revoked; the family id.
        case tokenFamilyRevoked = "token-family-revoked"
        /// Access tokens were replaced by a refresh grant; their hashes (see ``hashes``).
        case tokensDeactivated = "tokens-deactivated"
        /// API keys were revoked; their hashes (see ``hashes``).
        case apiKeysRevoked = "api-keys-revoked"
        /// An administrator's throttling policy was created, edited or deleted; `level/name`.
        case policy
        /// A gateway artifact was published or removed; its file name.
        case artifact
        /// An administrator's deny policy was created, enabled or disabled, or deleted; its id.
        case blockingCondition = "blocking-condition"
    }

    /// The subject of a ``Topic/tokensDeactivated`` event: lower-case hex hashes joined by commas.
    public static func subject(hashes: [Data]) -> String {
        hashes.map { HexEncoding.encode($0) }.joined(separator: ",")
    }

    /// The hashes of a ``Topic/tokensDeactivated`` event (malformed entries are skipped).
    public var hashes: [Data] {
        subject.split(separator: ",").compactMap { hex in HexEncoding.decode(hex).map { Data($0) } }
    }

    /// The subject of a ``Topic/policy`` event.
    public static func subject(level: TierLevel, name: String) -> String {
        level.rawValue + "/" + name
    }

    /// The level and name of a ``Topic/policy`` event.
    public var policy: (level: TierLevel, name: String)? {
        guard let slash = subject.firstIndex(of: "/"), let level = TierLevel(rawValue: String(subject[..<slash]))
        else { return nil }
        return (level, String(subject[subject.index(after: slash)...]))
    }
}
