import Foundation
import SluiceModel

/// An `application/x-www-form-urlencoded` body as RFC 6749 §3.2 reads it: parameters without a value count as
/// absent, and a parameter sent twice makes the request invalid.
package struct FormParameters: Sendable {
    package enum ParseError: Error, Equatable {
        case duplicated(String)
        case malformed
    }

    private let values: [String: String]

    /// Parses a body.
    /// - Throws: ``ParseError`` for a repeated name or bad percent-encoding.
    package init(body: String) throws(ParseError) {
        var values: [String: String] = [:]
        var seen: Set<String> = []
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), !name.isEmpty else { throw .malformed }
            guard seen.insert(name).inserted else { throw .duplicated(name) }
            guard parts.count == 2, let value = Self.decode(parts[1]) else {
                if parts.count == 2 { throw .malformed }
                continue
            }
            if !value.isEmpty { values[name] = value }
        }
        self.values = values
    }

    package subscript(name: String) -> String? { values[name] }

    /// Decodes one `application/x-www-form-urlencoded` component: `+` is a space; nil for bad percent-encoding.
    static func decode(_ component: Substring) -> String? {
        PercentEncoding.strictDecode(component, plusAsSpace: true)
    }
}
