/// RFC 3986 §5.2.4 `remove_dot_segments` for request paths, with `%2E`/`%2e` read as `.` (RFC 3986 §6.2.2.2:
/// percent-encoded unreserved characters are the same character).
///
/// The gateway dispatches and forwards the normalised path, so `/api/1.0/open/../secret` is checked against the
/// `/secret` resource (and its authentication), never against `/open/*`. Two shapes are refused instead of
/// normalised, because a backend could read them differently than the gateway did:
/// - a `..` that climbs above the root (RFC 3986 would silently drop it);
/// - a dot segment behind an encoded slash or a backslash (`..%2F`, `%5C..`, `..\`), which servers that decode
///   `%2F` or treat `\` as a separator would resolve after the gateway has dispatched.
enum DotSegments {
    /// What normalisation made of a path.
    struct Result: Equatable {
        /// The path without dot segments (still percent-encoded otherwise).
        var path: Substring
        /// The fewest non-empty segments the path had left after a `..` removed one; nil when no `..` did.
        /// A request whose API context has more segments than this climbed out of that context.
        var floor: Int?
        /// False when the path had no dot segment (and `path` is the input itself).
        var changed = true
    }

    /// Why a path is refused.
    enum Refusal: Error, Equatable {
        /// A `..` segment would climb above `/`.
        case aboveRoot
        /// A dot segment next to `%2F`, `%5C` or `\` inside one segment.
        case hiddenDotSegment
    }

    /// Normalises `path` (which starts with `/`). Paths without dot segments come back as they are, unallocated.
    static func remove(from path: Substring) throws(Refusal) -> Result {
        guard try needsWork(path) else { return Result(path: path, floor: nil, changed: false) }
        var output: [Substring] = []
        var nonEmptyCount = 0
        var floor: Int?
        var endsWithSlash = false
        var segments = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)[...]
        // The leading `/` gives an empty first piece.
        if segments.first?.isEmpty == true { segments = segments.dropFirst() }
        for (offset, bytes) in segments.enumerated() {
            let segment = Substring(bytes)
            let isLast = offset == segments.count - 1
            switch dotCount(bytes) {
            case 1:
                endsWithSlash = isLast
            case 2:
                guard let removed = output.popLast() else { throw .aboveRoot }
                if !removed.isEmpty { nonEmptyCount -= 1 }
                floor = min(floor ?? nonEmptyCount, nonEmptyCount)
                endsWithSlash = isLast
            default:
                output.append(segment)
                if !segment.isEmpty { nonEmptyCount += 1 }
                endsWithSlash = false
            }
        }
        var result = "/" + output.joined(separator: "/")
        if endsWithSlash && !output.isEmpty { result += "/" }
        return Result(path: result[...], floor: floor)
    }

    /// The number of segments of `context` (`/a/b` has two), for comparison with `Result.floor`.
    static func depth(of context: String) -> Int {
        context.utf8.split(separator: UInt8(ascii: "/")).count
    }

    // MARK: - Private

    /// True when some segment is a dot segment; throws for the shapes refused outright. Allocation-free: this
    /// runs on every request.
    private static func needsWork(_ path: Substring) throws(Refusal) -> Bool {
        var found = false
        var start = path.utf8.startIndex
        let end = path.utf8.endIndex
        while start <= end {
            let stop = path.utf8[start...].firstIndex(of: UInt8(ascii: "/")) ?? end
            let segment = path.utf8[start..<stop]
            if dotCount(segment) > 0 {
                found = true
            } else if segment.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "\\") }) {
                try checkHiddenDotSegments(segment)
            }
            guard stop < end else { break }
            start = path.utf8.index(after: stop)
        }
        return found
    }

    /// Refuses a segment that, split at encoded slashes and backslashes, has a dot segment among its parts.
    private static func checkHiddenDotSegments(_ segment: Substring.UTF8View.SubSequence) throws(Refusal) {
        var partStart = segment.startIndex
        var index = segment.startIndex
        var sawSeparator = false
        while index < segment.endIndex {
            let separatorLength = separatorLength(in: segment, at: index)
            guard separatorLength > 0 else {
                index = segment.index(after: index)
                continue
            }
            sawSeparator = true
            if dotCount(segment[partStart..<index]) > 0 { throw .hiddenDotSegment }
            index = segment.index(index, offsetBy: separatorLength)
            partStart = index
        }
        if sawSeparator && dotCount(segment[partStart...]) > 0 { throw .hiddenDotSegment }
    }

    /// 1 for `\`, 3 for `%2F`/`%5C` (any case), 0 when no separator starts at `index`.
    private static func separatorLength(in segment: Substring.UTF8View.SubSequence, at index: Substring.Index) -> Int {
        let byte = segment[index]
        if byte == UInt8(ascii: "\\") { return 1 }
        guard byte == UInt8(ascii: "%"), segment.distance(from: index, to: segment.endIndex) >= 3 else { return 0 }
        let high = segment[segment.index(after: index)]
        let low = segment[segment.index(index, offsetBy: 2)] | 0x20
        let isSlash = high == UInt8(ascii: "2") && low == UInt8(ascii: "f")
        let isBackslash = high == UInt8(ascii: "5") && low == UInt8(ascii: "c")
        return isSlash || isBackslash ? 3 : 0
    }

    /// 1 for `.`, 2 for `..` (each dot possibly written `%2E`/`%2e`), 0 for anything else.
    private static func dotCount(_ segment: Substring.UTF8View.SubSequence) -> Int {
        guard !segment.isEmpty, segment.count <= 6 else { return 0 }
        var dots = 0
        var index = segment.startIndex
        while index < segment.endIndex {
            if segment[index] == UInt8(ascii: ".") {
                index = segment.index(after: index)
            } else if segment[index] == UInt8(ascii: "%"), segment.distance(from: index, to: segment.endIndex) >= 3,
                segment[segment.index(after: index)] == UInt8(ascii: "2"),
                segment[segment.index(index, offsetBy: 2)] | 0x20 == UInt8(ascii: "e")
            {
                index = segment.index(index, offsetBy: 3)
            } else {
                return 0
            }
            dots += 1
        }
        return dots <= 2 ? dots : 0
    }
}
