/// An API key's `permittedIP` (WSO2 4.x): comma-separated addresses and CIDR blocks, read once when the key's
/// claims are decoded (a verified key's claims are remembered, so a call costs the address match only). Encoded as
/// the text it was read from, in the key and on the wire.
public struct PermittedAddresses: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The text as the key states it.
    public let description: String
    private let blocks: [IPAddressBlock]

    /// Reads the list; entries that are no address or block match nothing (the key manager refuses them at
    /// generation).
    public init(_ text: String) {
        description = text
        blocks = text.split(separator: ",").compactMap { IPAddressBlock($0.trimmingSpaces()) }
    }

    /// Whether `address` lies in one of the entries (an unreadable address does not).
    public func permits(_ address: String) -> Bool {
        guard let bytes = IPAddressBlock.parseAddress(address) else { return false }
        return blocks.contains { $0.contains(bytes) }
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An API key's `permittedReferer`: comma-separated patterns where `*` stands for any run of characters and the whole
/// `Referer` must match (WSO2 turns each into a regular expression the same way), compiled once like
/// ``PermittedAddresses``.
public struct PermittedReferers: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The text as the key states it.
    public let description: String
    private let patterns: [WildcardPattern]

    /// Compiles the patterns.
    public init(_ text: String) {
        description = text
        patterns = text.split(separator: ",").map { WildcardPattern(String($0.trimmingSpaces()), anchoring: .whole) }
    }

    /// Whether `referer` matches a pattern; a call without `Referer` is not permitted.
    public func permits(_ referer: String?) -> Bool {
        guard let referer, !referer.isEmpty else { return false }
        let text = Array(referer.utf8)
        var steps = 0
        return patterns.contains { $0.matches(text, steps: &steps) }
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
