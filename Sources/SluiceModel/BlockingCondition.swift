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

/// The enabled conditions as the gateway checks them per call: sets of contexts, applications and users, and
/// parsed address ranges. Built once per change; checking reads no storage and allocates nothing for the
/// non-IP kinds.
public struct BlockingConditionSet: Sendable {
    private struct AddressRange: Sendable {
        var first: [UInt8]
        var last: [UInt8]
        var invert: Bool

        func matches(_ address: [UInt8]) -> Bool {
            let inside = address.count == first.count && !address.lexicographicallyPrecedes(first)
                && !last.lexicographicallyPrecedes(address)
            return inside != invert
        }
    }

    private var contexts: Set<String> = []
    private var applications: Set<String> = []
    private var users: Set<String> = []
    private var ranges: [AddressRange] = []

    /// No condition.
    public static let empty = BlockingConditionSet([])

    /// Whether no condition is enabled (then the gateway checks nothing).
    public let isEmpty: Bool

    /// The enabled conditions of `conditions`; IP conditions whose addresses do not parse are left out (the admin
    /// API refuses them when they are made).
    public init(_ conditions: [BlockingCondition]) {
        for condition in conditions where condition.isEnabled {
            switch condition.kind {
            case .api: contexts.insert(Self.trimmedContext(condition.value))
            case .application: applications.insert(condition.value)
            case .user: users.insert(condition.value.lowercased())
            case .ip:
                guard let address = IPAddressBlock.parseAddress(condition.value) else { continue }
                ranges.append(AddressRange(first: address, last: address, invert: condition.invert))
            case .ipRange:
                guard let first = IPAddressBlock.parseAddress(condition.value),
                    let last = condition.endingIP.flatMap({ IPAddressBlock.parseAddress($0) }), first.count == last.count
                else { continue }
                ranges.append(AddressRange(first: first, last: last, invert: condition.invert))
            }
        }
        isEmpty = contexts.isEmpty && applications.isEmpty && users.isEmpty && ranges.isEmpty
    }

    /// Whether a call is blocked.
    /// - Parameters:
    ///   - context: The API's context without a version; `version` its version.
    ///   - application: `owner:name` of the calling application, when known.
    ///   - user: The end user, when known.
    ///   - clientIP: The client's address as the gateway established it.
    public func blocks(context: String, version: String?, application: String?, user: String?, clientIP: String?) -> Bool {
        if !contexts.isEmpty {
            let trimmed = Self.trimmedContext(context)
            if contexts.contains(trimmed) { return true }
            if let version, contexts.contains(trimmed + "/" + version) { return true }
        }
        if let application, applications.contains(application) { return true }
        if let user, !users.isEmpty, users.contains(user.lowercased()) { return true }
        if !ranges.isEmpty, let clientIP, let address = IPAddressBlock.parseAddress(clientIP) {
            return ranges.contains { $0.matches(address) }
        }
        return false
    }

    private static func trimmedContext(_ context: String) -> String {
        context.count > 1 && context.hasSuffix("/") ? String(context.dropLast()) : context
    }
}
