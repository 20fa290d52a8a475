import SluiceMediation
public import SluiceModel

/// Matches a `uri-template` against a request's sub-path and query the way Synapse's `URITemplate` does.
///
/// Synapse matches the text below the API context, query included, node by node: a literal must appear as
/// written (one ending in `*` takes everything after its prefix); an expression takes characters up to the next
/// reserved character (`{a}`) or up to the first character of the node after it (`{+a}`), splits the text on
/// its separator for a variable list, and binds the percent-decoded values (`+` kept). A template without a query
/// part accepts any query after the matched path, and one trailing `/` of the request is ignored. The few places
/// where Sluice does the sane thing instead are listed in `docs/compatibility.md`.
public struct URITemplateMatcher: Sendable {
    private enum Piece: Sendable {
        /// Literal bytes; `wildcard` when the literal ended in `*` (which is dropped from `bytes`).
        case literal(bytes: [UInt8], wildcard: Bool, slashWildcard: Bool, isStarOnly: Bool)
        case expression(URITemplate.Expression)
    }

    private let pieces: [Piece]
    /// The first byte of each piece as the piece before it sees it (Synapse's `getFirstCharacter`).
    private let firstBytes: [UInt8?]
    private let allowsAnyQuery: Bool

    /// Prepares `template` for matching.
    public init(_ template: URITemplate) {
        var pieces: [Piece] = []
        var firstBytes: [UInt8?] = []
        for node in template.nodes {
            switch node {
            case .literal(let text):
                var bytes = Array(text.utf8)
                let wildcard = bytes.last == UInt8(ascii: "*")
                if wildcard { bytes.removeLast() }
                let slashWildcard = wildcard && bytes.last == UInt8(ascii: "/")
                pieces.append(.literal(bytes: bytes, wildcard: wildcard, slashWildcard: slashWildcard, isStarOnly: text == "*" || text == "/*"))
                firstBytes.append(text.utf8.first)
            case .expression(let expression):
                pieces.append(.expression(expression))
                switch expression.kind {
                // Synapse's simple and reserved expressions report a character no request contains.
                case .simple, .reserved: firstBytes.append(nil)
                default: firstBytes.append(expression.kind.rawValue.asciiValue)
                }
            }
        }
        self.pieces = pieces
        self.firstBytes = firstBytes
        self.allowsAnyQuery = !template.hasQueryTemplate
    }

    /// Matches the text below the API context, starting with `/`, query included (`REST_SUB_REQUEST_PATH`).
    /// - Returns: the bindings (names without `uri.var.`, values decoded) in the order bound, or nil.
    public func match(_ subRequest: Substring) -> [(String, String)]? {
        var bindings: [(String, String)] = []
        let text = subRequest.utf8
        guard let length = matchAll(0, text, &bindings) else { return nil }
        let rest = text.dropFirst(length)
        if rest.isEmpty { return bindings }
        // One trailing slash of the request is ignored, and without a query template any query may follow.
        var bytes = rest.makeIterator()
        let first = bytes.next()
        if first == UInt8(ascii: "/") {
            let second = bytes.next()
            if second == nil { return bindings }
            // Synapse refuses `/path/?query` here while it takes `/path?query` and `/path/`; we take all three.
            return allowsAnyQuery && second == UInt8(ascii: "?") ? bindings : nil
        }
        return allowsAnyQuery && first == UInt8(ascii: "?") ? bindings : nil
    }

    // MARK: - Node chain (Synapse's Node.matchAll)

    private func matchAll(_ index: Int, _ text: Substring.UTF8View, _ bindings: inout [(String, String)]) -> Int? {
        guard let length = matchPiece(index, text, &bindings) else { return nil }
        let next = index + 1
        let count = text.count
        if length < count {
            guard next < pieces.count else { return length }
            // Synapse adds a failed tail's -1 to the length matched so far; a failure stays a failure here.
            guard let rest = matchAll(next, text.dropFirst(length), &bindings) else { return nil }
            return length + rest
        }
        guard next < pieces.count else { return length }
        switch pieces[next] {
        case .literal(_, _, _, let isStarOnly):
            // Everything is matched; a following `*` or `/*` asks for nothing more.
            return isStarOnly ? length : nil
        case .expression(let expression):
            // An expression may match nothing after a query parameter without a value (`?a=`), as in Synapse;
            // the extension operators may always be empty, as RFC 6570 expands undefined variables to nothing.
            let mayBeEmpty =
                !expression.kind.isSynapseOperator || text.contains(UInt8(ascii: "="))
            guard mayBeEmpty, let rest = matchAll(next, text.dropFirst(count), &bindings) else { return nil }
            return length + rest
        }
    }

    private func matchPiece(_ index: Int, _ text: Substring.UTF8View, _ bindings: inout [(String, String)]) -> Int? {
        switch pieces[index] {
        case .literal(let bytes, let wildcard, let slashWildcard, _):
            return Self.matchLiteral(bytes, wildcard: wildcard, slashWildcard: slashWildcard, text)
        case .expression(let expression):
            let stop = index + 1 < firstBytes.count ? firstBytes[index + 1] : nil
            return matchExpression(expression, stop: stop, text, &bindings)
        }
    }

    private static func matchLiteral(
        _ bytes: [UInt8],
        wildcard: Bool,
        slashWildcard: Bool,
        _ text: Substring.UTF8View
    ) -> Int? {
        guard text.starts(with: bytes) else {
            // Synapse's `/items/*` needs the slash; as a url-mapping would, we also take `/items` and `/items?q`.
            guard slashWildcard, text.starts(with: bytes.dropLast()) else { return nil }
            let after = text.dropFirst(bytes.count - 1).first
            return after == nil || after == UInt8(ascii: "?") ? text.count : nil
        }
        return wildcard ? text.count : bytes.count
    }

    // MARK: - Expressions

    private func matchExpression(
        _ expression: URITemplate.Expression,
        stop: UInt8?,
        _ text: Substring.UTF8View,
        _ bindings: inout [(String, String)]
    ) -> Int? {
        switch expression.kind {
        case .simple:
            return matchValues(expression, separator: UInt8(ascii: ","), reservedStops: true, stop: stop, text, &bindings)
        case .reserved:
            return matchValues(expression, separator: UInt8(ascii: ","), reservedStops: false, stop: stop, text, &bindings)
        case .fragment, .label, .pathSegment:
            let lead = expression.kind.rawValue.asciiValue!
            // Without its leading character the expression matches nothing (its variables stay unbound).
            guard text.first == lead else { return 0 }
            let separator = expression.kind == .fragment ? UInt8(ascii: ",") : lead
            guard
                let length = matchValues(
                    expression,
                    separator: separator,
                    reservedStops: expression.kind != .fragment,
                    stop: stop,
                    text.dropFirst(),
                    &bindings
                )
            else { return nil }
            return length + 1
        case .pathParameter:
            return matchPathParameters(expression, text, &bindings)
        case .query, .queryContinuation:
            guard let lead = text.first, lead == expression.kind.rawValue.asciiValue else { return 0 }
            return bindQueryParameters(expression, text.dropFirst(), &bindings) ? text.count : nil
        }
    }

    /// Synapse's `SimpleStringExpression.match`: the value runs to the next reserved character (when
    /// `reservedStops`) or to `stop`, the first character of the next node; a variable list reads through its
    /// separator.
    private func matchValues(
        _ expression: URITemplate.Expression,
        separator: UInt8,
        reservedStops: Bool,
        stop: UInt8?,
        _ text: Substring.UTF8View,
        _ bindings: inout [(String, String)]
    ) -> Int? {
        let isList = expression.variables.count > 1
        var offset = 0
        var index = text.startIndex
        let count = text.count
        while index < text.endIndex {
            let byte = text[index]
            if (reservedStops && Self.isReserved(byte)) || byte == stop {
                if !(byte == separator && isList) {
                    let value = Substring(text[text.startIndex..<index])
                    return assign(expression, value, separator: separator, &bindings) ? offset : nil
                }
            } else if offset == count - 1 {
                return assign(expression, Substring(text), separator: separator, &bindings) ? count : nil
            }
            offset += 1
            index = text.index(after: index)
        }
        return 0
    }

    /// Synapse's `setVariables`: the values split on the separator (trailing empty values dropped, as Java's
    /// `split` does), missing ones bound to "", a `{+a}`/`{#a}` with one variable taking the whole text.
    private func assign(
        _ expression: URITemplate.Expression,
        _ text: Substring,
        separator: UInt8,
        _ bindings: inout [(String, String)]
    ) -> Bool {
        let variables = expression.variables
        if variables.count == 1 && (expression.kind == .reserved || expression.kind == .fragment) {
            return bind(variables[0], PercentEncoding.decode(text), &bindings)
        }
        var values = text.utf8.split(separator: separator, omittingEmptySubsequences: false)
        while values.count > 1, values.last?.isEmpty == true { values.removeLast() }
        guard values.count <= variables.count else { return false }
        for (position, variable) in variables.enumerated() {
            let value = position < values.count ? PercentEncoding.decode(Substring(values[position])) : ""
            guard bind(variable, value, &bindings) else { return false }
        }
        return true
    }

    private func bind(_ variable: URITemplate.Variable, _ value: String, _ bindings: inout [(String, String)]) -> Bool {
        if let length = variable.prefixLength, value.count != length { return false }
        // A variable used twice must take the same value both times.
        if let earlier = bindings.first(where: { $0.0 == variable.name }) { return earlier.1 == value }
        bindings.append((variable.name, value))
        return true
    }

    /// `{;a,b}`: `;a=1;b` path parameters with names from the list, in any order (Sluice extension).
    private func matchPathParameters(
        _ expression: URITemplate.Expression,
        _ text: Substring.UTF8View,
        _ bindings: inout [(String, String)]
    ) -> Int? {
        var consumed = 0
        var rest = text
        while rest.first == UInt8(ascii: ";") {
            let body = rest.dropFirst()
            let nameEnd = body.firstIndex { $0 == UInt8(ascii: "=") || Self.isReserved($0) } ?? body.endIndex
            let name = String(Substring(body[..<nameEnd]))
            guard let variable = expression.variables.first(where: { $0.name == name }) else { break }
            var valueEnd = nameEnd
            var value = ""
            if nameEnd < body.endIndex, body[nameEnd] == UInt8(ascii: "=") {
                let valueStart = body.index(after: nameEnd)
                valueEnd = body[valueStart...].firstIndex(where: Self.isReserved) ?? body.endIndex
                value = PercentEncoding.decode(Substring(body[valueStart..<valueEnd]))
            }
            guard bind(variable, value, &bindings) else { return nil }
            consumed += 1 + body.distance(from: body.startIndex, to: valueEnd)
            rest = body[valueEnd...]
        }
        return consumed
    }

    /// `{?a,b}` / `{&a,b}`: binds the listed query parameters found in the rest of the query (form-decoded, the last
    /// of a name wins); other parameters are allowed (Sluice extension).
    private func bindQueryParameters(
        _ expression: URITemplate.Expression,
        _ query: Substring.UTF8View,
        _ bindings: inout [(String, String)]
    ) -> Bool {
        var found: [String: String] = [:]
        for pair in query.split(separator: UInt8(ascii: "&")) {
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            let name = String(Substring(pair[..<equals]))
            guard expression.variables.contains(where: { $0.name == name }) else { continue }
            let value = equals < pair.endIndex ? Substring(pair[pair.index(after: equals)...]) : ""
            found[name] = PercentEncoding.decode(value, plusAsSpace: true)
        }
        for variable in expression.variables {
            if let value = found[variable.name], !bind(variable, value, &bindings) { return false }
        }
        return true
    }

    /// RFC 3986 reserved characters (gen-delims and sub-delims), where a simple expression's value ends.
    static func isReserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }
}
