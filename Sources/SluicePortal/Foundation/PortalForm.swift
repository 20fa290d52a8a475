import Foundation
import SluiceModel

/// An `application/x-www-form-urlencoded` form as browsers send it: names may repeat (checkbox groups), empty
/// values are kept as empty strings.
public struct PortalForm: Sendable {
    /// Why a body is not a form.
    public enum ParseError: Error, Equatable {
        case malformed
    }

    private let pairs: [(name: String, value: String)]

    /// Parses a body.
    /// - Throws: ``ParseError/malformed`` for bad percent-encoding or a pair without a name.
    public init(body: String) throws(ParseError) {
        var pairs: [(String, String)] = []
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), !name.isEmpty else { throw .malformed }
            let value: String
            if parts.count == 2 {
                guard let decoded = Self.decode(parts[1]) else { throw .malformed }
                value = decoded
            } else {
                value = ""
            }
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    /// The first value of a field, untrimmed; nil when the field is absent.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The first value of a field with surrounding white space removed; nil when absent or blank.
    public func text(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    /// Every value of a field, in order (checkbox groups, repeated rows).
    public func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// `+` is a space; nil for bad percent-encoding.
    static func decode(_ component: Substring) -> String? {
        PercentEncoding.strictDecode(component, plusAsSpace: true)
    }
}
