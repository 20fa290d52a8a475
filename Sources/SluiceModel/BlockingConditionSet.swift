/// The enabled conditions as the gateway checks them per call. Built once per change, and checked without building
/// a string or allocating: contexts with and without their version, applications as owner and name, user names in
/// lower case, and packed address ranges.
public struct BlockingConditionSet: Sendable {
    private struct AddressRange: Sendable {
        var first: PackedIPAddress
        var last: PackedIPAddress
        var invert: Bool

        func matches(_ address: PackedIPAddress) -> Bool {
            let inside = address.isIPv6 == first.isIPv6 && first <= address && address <= last
            return inside != invert
        }
    }

    /// A pair of strings looked up without joining them (`context`/`version`, `owner`:`name`).
    private struct Pair: Hashable, Sendable {
        var first: String
        var second: String
    }

    private var contexts: Set<String> = []
    /// The API conditions again, split at their last `/`: a context with its version.
    private var contextVersions: Set<Pair> = []
    /// `owner:name` split at the first `:`, as the admin API reads it.
    private var applications: Set<Pair> = []
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
            case .api:
                let context = String(Self.trimmedContext(condition.value))
                contexts.insert(context)
                if let slash = context.utf8.lastIndex(of: UInt8(ascii: "/")), slash != context.utf8.startIndex {
                    contextVersions.insert(Pair(first: String(context[..<slash]), second: String(context[slash...].dropFirst())))
                }
            case .application:
                let parts = condition.value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { continue }
                applications.insert(Pair(first: String(parts[0]), second: String(parts[1])))
            case .user: users.insert(condition.value.lowercased())
            case .ip:
                guard let address = IPAddressBlock.parseAddress(condition.value).flatMap(PackedIPAddress.init(bytes:))
                else { continue }
                ranges.append(AddressRange(first: address, last: address, invert: condition.invert))
            case .ipRange:
                guard let first = IPAddressBlock.parseAddress(condition.value).flatMap(PackedIPAddress.init(bytes:)),
                    let last = condition.endingIP.flatMap({ IPAddressBlock.parseAddress($0) }).flatMap(PackedIPAddress.init(bytes:)),
                    first.isIPv6 == last.isIPv6
                else { continue }
                ranges.append(AddressRange(first: first, last: last, invert: condition.invert))
            }
        }
        isEmpty = contexts.isEmpty && applications.isEmpty && users.isEmpty && ranges.isEmpty
    }

    /// Whether a call is blocked.
    /// - Parameters:
    ///   - context: The API's context without a version; `version` its version.
    ///   - applicationOwner: The owner of the calling application, when known; `applicationName` its name.
    ///   - user: The end user, when known.
    ///   - clientIP: The client's address as the gateway established it.
    public func blocks(
        context: String,
        version: String?,
        applicationOwner: String?,
        applicationName: String?,
        user: String?,
        clientIP: String?
    ) -> Bool {
        if !contexts.isEmpty {
            let trimmed = Self.trimmedContext(context)
            // A context ending in `/` (never a deployed one) is the only case that makes a string.
            let whole = trimmed.utf8.count == context.utf8.count ? context : String(trimmed)
            if contexts.contains(whole) { return true }
            if let version, contextVersions.contains(Pair(first: whole, second: version)) { return true }
        }
        if !applications.isEmpty, let applicationOwner, let applicationName,
            applications.contains(Pair(first: applicationOwner, second: applicationName))
        {
            return true
        }
        if !users.isEmpty, let user {
            let hasUpperCase = user.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") || $0 >= 0x80 }
            if users.contains(hasUpperCase ? user.lowercased() : user) { return true }
        }
        if !ranges.isEmpty, let clientIP, let address = PackedIPAddress(clientIP) {
            return ranges.contains { $0.matches(address) }
        }
        return false
    }

    /// The context without a trailing `/` (but `/` itself kept), found on its bytes: no character walk per call.
    private static func trimmedContext(_ context: String) -> Substring {
        let bytes = context.utf8
        guard bytes.count > 1, bytes.last == UInt8(ascii: "/") else { return context[...] }
        return context[..<bytes.index(before: bytes.endIndex)]
    }
}
