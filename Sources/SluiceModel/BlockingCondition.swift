/// An administrator's deny policy (WSO2's blocking condition): calls to an API, from an application, by a user, or
/// from an IP address or range are refused at the gateway (403, fault 900805) while it is enabled.
public struct BlockingCondition: Sendable, Hashable, Codable {
    /// What a condition matches.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// An API's context with its version (`/pizzashack/1.0.0`), or without it for every version.
        case api = "API"
        /// An application, `owner:name`.
        case application = "APPLICATION"
        /// One client address.
        case ip = "IP"
        /// Client addresses from ``startingIP`` to ``endingIP``.
        case ipRange = "IPRANGE"
        /// A user name.
        case user = "USER"
    }

    /// A UUID string.
    public var id: String
    public var kind: Kind
    /// The context, `owner:name`, user name or address; the first address of a range.
    public var value: String
    /// The last address of an ``Kind/ipRange`` condition.
    public var endingIP: String?
    /// For IP conditions: block every address but these.
    public var invert: Bool
    /// Whether the gateway applies it.
    public var isEnabled: Bool

    /// Creates a condition.
    public init(id: String, kind: Kind, value: String, endingIP: String? = nil, invert: Bool = false, isEnabled: Bool = true) {
        self.id = id
        self.kind = kind
        self.value = value
        self.endingIP = endingIP
        self.invert = invert
        self.isEnabled = isEnabled
    }

    /// The first address of an IP condition.
    public var startingIP: String { value }
}
