/// A search value with `*` wildcards, matched in time linear in the value and the pattern, whatever the input.
///
/// The pattern is split at its stars into literal pieces, each searched for with Knuth-Morris-Pratt: the first
/// piece must start the value and the last must end it (unless a star stands there), and the pieces in between
/// are found leftmost-first, one after the other. Taking the leftmost place for each piece is always right for
/// `*`-only globs, so nothing is ever retried: `**************zzz` against a long description costs one pass,
/// where matching by backtracking costs a power of the length per star.
package struct WildcardPattern: Sendable, Hashable {
    /// How the pattern must cover a value.
    package enum Anchoring: Sendable, Hashable {
        /// The whole value (a glob, or a quoted exact value).
        case whole
        /// Anywhere in the value (WSO2's plain search term).
        case anywhere
    }

    private struct Piece: Sendable, Hashable {
        var bytes: [UInt8]
        /// KMP failure function: the length of the longest proper prefix of `bytes[...i]` that is also a suffix.
        var failure: [Int]

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var failure = [Int](repeating: 0, count: bytes.count)
            var length = 0
            var index = 1
            while index < bytes.count {
                if bytes[index] == bytes[length] {
                    length += 1
                    failure[index] = length
                    index += 1
                } else if length > 0 {
                    length = failure[length - 1]
                } else {
                    index += 1
                }
            }
            self.failure = failure
        }
    }

    private let pieces: [Piece]
    private let anchoredStart: Bool
    private let anchoredEnd: Bool

    /// Compiles a pattern (UTF-8, already lower-cased by the caller when matching ignores case).
    package init(_ pattern: String, anchoring: Anchoring) {
        let bytes = Array(pattern.utf8)
        let star = UInt8(ascii: "*")
        pieces = bytes.split(separator: star, omittingEmptySubsequences: true).map { Piece(Array($0)) }
        switch anchoring {
        case .whole:
            anchoredStart = bytes.first != star
            anchoredEnd = bytes.last != star
        case .anywhere:
            anchoredStart = false
            anchoredEnd = false
        }
    }

    /// Whether `value` matches; `steps` grows by the byte comparisons made (at most about twice the value's length
    /// plus the pattern's), so tests can hold the work to a budget instead of timing it.
    package func matches(_ value: [UInt8], steps: inout Int) -> Bool {
        guard !pieces.isEmpty else { return !(anchoredStart && anchoredEnd) || value.isEmpty }
        var cursor = 0
        var end = value.count
        var middle = pieces[...]
        if anchoredStart {
            let first = pieces[0]
            guard hasPrefix(value, first.bytes, from: 0, steps: &steps) else { return false }
            cursor = first.bytes.count
            middle = middle.dropFirst()
            // A pattern without stars must be the whole value.
            if anchoredEnd && pieces.count == 1 { return cursor == value.count }
        }
        if anchoredEnd, let last = middle.last {
            let start = value.count - last.bytes.count
            guard start >= cursor, hasPrefix(value, last.bytes, from: start, steps: &steps) else { return false }
            end = start
            middle = middle.dropLast()
        }
        for piece in middle {
            guard let found = Self.find(piece, in: value, from: cursor, before: end, steps: &steps) else {
                return false
            }
            cursor = found + piece.bytes.count
        }
        return true
    }

    private func hasPrefix(_ value: [UInt8], _ prefix: [UInt8], from start: Int, steps: inout Int) -> Bool {
        guard start >= 0, value.count - start >= prefix.count else { return false }
        for offset in prefix.indices {
            steps += 1
            if value[start + offset] != prefix[offset] { return false }
        }
        return true
    }

    /// The leftmost start of `piece` in `value[from..<before]`, by Knuth-Morris-Pratt.
    private static func find(_ piece: Piece, in value: [UInt8], from: Int, before: Int, steps: inout Int) -> Int? {
        let needle = piece.bytes
        guard before - from >= needle.count else { return nil }
        var matched = 0
        var index = from
        while index < before {
            steps += 1
            if value[index] == needle[matched] {
                matched += 1
                index += 1
                if matched == needle.count { return index - matched }
            } else if matched > 0 {
                matched = piece.failure[matched - 1]
            } else {
                index += 1
            }
        }
        return nil
    }
}
