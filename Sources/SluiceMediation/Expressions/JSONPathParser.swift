/// Reads JSONPath text (after its `$`) into steps, and the conditions of `[?(...)]` filters into `JSONPathFilter`s,
/// following Jayway JSONPath's grammar: `.name`, `['name']`, `[n]`, `[*]`, `..name`, unions, and filters with
/// `@`/`$` paths, literals (strings, numbers, `true`, `false`, `null`, `[...]` and `{...}` lists, `/regex/flags`),
/// relational operators, `&&`, `||`, `!` and parentheses.
struct JSONPathParser {
    private let source: String
    private var text: Substring
    /// Inside a filter a name also ends at blanks, operators and `)`; at the top level only `.` and `[` end it.
    private let inFilter: Bool

    private static let filterNameEnd: Set<Character> = [" ", "\t", "\n", "\r", ")", "<", ">", "=", "!", "~", "&", "|", ",", "]"]

    init(source: String, text: Substring, inFilter: Bool) {
        self.source = source
        self.text = text
        self.inFilter = inFilter
    }

    /// What is left to read.
    var remainder: Substring { text }

    private func error(_ reason: String) -> JSONPathError {
        JSONPathError(path: source, reason: reason)
    }

    // MARK: - Steps

    /// Reads steps until the text ends (top level) or until a character that cannot continue a path (in a filter).
    mutating func steps() throws(JSONPathError) -> [JSONPath.Step] {
        var steps: [JSONPath.Step] = []
        while let first = text.first {
            if text.hasPrefix("..") {
                text = text.dropFirst(2)
                let name = takeName()
                if name == "*" {
                    steps.append(.descendantWildcard)
                } else if !name.isEmpty {
                    steps.append(.descendant(name))
                } else if text.first == "[" {
                    let bracket = try takeBracket()
                    if case .child(let member) = bracket {
                        steps.append(.descendant(member))
                    } else {
                        steps.append(.descendantWildcard)
                    }
                } else {
                    throw error("'..' needs a name")
                }
            } else if first == "." {
                text = text.dropFirst()
                if text.first == "[" {
                    // `$.[0]` is `$[0]` (Jayway reads the token after a '.' whatever it is).
                    steps.append(try takeBracket())
                } else {
                    let name = takeName()
                    guard !name.isEmpty else { throw error("'.' needs a name") }
                    steps.append(name == "*" ? .wildcard : .child(name))
                }
            } else if first == "[" {
                steps.append(try takeBracket())
            } else if inFilter {
                return steps
            } else if let last = steps.last, last.endsInBracketOrWildcard {
                // Jayway reads a name right after ']' as the next member: `spo[0]email` is `spo[0].email`.
                let name = takeName()
                steps.append(name == "*" ? .wildcard : .child(name))
            } else {
                throw error("unexpected '\(first)'")
            }
            // Jayway stops reading a path when a bracket or wildcard token ends one character before the end, so
            // that last character is ignored: Synapse deploys and evaluates `$.a[?(@.b > 1)])` as `$.a[?(@.b > 1)]`.
            if !inFilter, text.count == 1, let last = steps.last, last.endsInBracketOrWildcard {
                text = text.dropFirst()
            }
        }
        return steps
    }

    private mutating func takeName() -> String {
        let end =
            text.firstIndex(where: { $0 == "." || $0 == "[" || (inFilter && Self.filterNameEnd.contains($0)) })
            ?? text.endIndex
        let name = String(text[..<end])
        text = text[end...]
        return name
    }

    private mutating func skipBlanks() {
        text = text.drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
    }

    private mutating func takeBracket() throws(JSONPathError) -> JSONPath.Step {
        text = text.dropFirst()
        skipBlanks()
        if text.first == "?" {
            text = text.dropFirst()
            skipBlanks()
            guard text.first == "(" else { throw error("a filter starts with '[?('") }
            text = text.dropFirst()
            let condition = try filterOr()
            skipBlanks()
            guard text.first == ")" else { throw error(unexpected("closing the filter with ')'")) }
            text = text.dropFirst()
            skipBlanks()
            guard text.first == "]" else { throw error(unexpected("closing the filter with ']'")) }
            text = text.dropFirst()
            return .filter(condition)
        }
        if text.first == "(" {
            throw error("script expressions '[(...)]' are not supported (Jayway JSONPath, which Synapse uses, has none)")
        }
        var parts: [JSONPath.Step] = []
        while true {
            skipBlanks()
            guard let first = text.first else { throw error("unclosed '['") }
            if first == "'" || first == "\"" {
                parts.append(.child(try takeQuoted()))
            } else if first == "*" {
                parts.append(.wildcard)
                text = text.dropFirst()
            } else {
                let end = text.firstIndex(where: { $0 == "," || $0 == "]" }) ?? text.endIndex
                let token = text[..<end].trimmingWhitespace()
                guard let index = Int(token) else {
                    throw error("'\(token)' is not an index (slices are not supported)")
                }
                parts.append(.index(index))
                text = text[end...]
            }
            skipBlanks()
            guard let separator = text.first else { throw error("unclosed '['") }
            text = text.dropFirst()
            if separator == "]" { break }
            guard separator == "," else { throw error("expected ',' or ']'") }
        }
        return parts.count == 1 ? parts[0] : .union(parts)
    }

    /// A quoted name or string literal; backslash escapes as Jayway's `Utils.unescape` reads them.
    private mutating func takeQuoted() throws(JSONPathError) -> String {
        guard let quote = text.popFirst() else { throw error("expected a quoted string") }
        var value = ""
        while let character = text.popFirst() {
            if character == quote { return value }
            guard character == "\\" else {
                value.append(character)
                continue
            }
            guard let escaped = text.popFirst() else { break }
            switch escaped {
            case "n": value.append("\n")
            case "t": value.append("\t")
            case "r": value.append("\r")
            case "b": value.append("\u{08}")
            case "f": value.append("\u{0C}")
            case "u":
                let hex = text.prefix(4)
                guard hex.count == 4, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                    throw error("invalid \\u escape")
                }
                value.unicodeScalars.append(scalar)
                text = text.dropFirst(4)
            default: value.append(escaped)
            }
        }
        throw error("unterminated string \(quote)")
    }

    private func unexpected(_ expectation: String) -> String {
        guard let first = text.first else { return "the filter ends before \(expectation)" }
        return "unexpected '\(first)' where the filter expects \(expectation)"
    }

    // MARK: - Filters

    private mutating func filterOr() throws(JSONPathError) -> JSONPathFilter {
        var condition = try filterAnd()
        while true {
            skipBlanks()
            guard text.hasPrefix("||") else { return condition }
            text = text.dropFirst(2)
            condition = .or(condition, try filterAnd())
        }
    }

    private mutating func filterAnd() throws(JSONPathError) -> JSONPathFilter {
        var condition = try filterUnary()
        while true {
            skipBlanks()
            guard text.hasPrefix("&&") else { return condition }
            text = text.dropFirst(2)
            condition = .and(condition, try filterUnary())
        }
    }

    private mutating func filterUnary() throws(JSONPathError) -> JSONPathFilter {
        skipBlanks()
        if text.first == "!" && !text.hasPrefix("!=") {
            let saved = text
            text = text.dropFirst()
            skipBlanks()
            // `!@.name` is a "does not exist" test (Jayway's `shouldExist = false`); `!(...)` negates.
            if text.first == "@" || text.first == "$" {
                return try relation(negated: true)
            }
            guard text.first != nil else {
                text = saved
                throw error(unexpected("a condition after '!'"))
            }
            return .not(try filterUnary())
        }
        if text.first == "(" {
            text = text.dropFirst()
            let inner = try filterOr()
            skipBlanks()
            guard text.first == ")" else { throw error(unexpected("')'")) }
            text = text.dropFirst()
            return inner
        }
        return try relation(negated: false)
    }

    private mutating func relation(negated: Bool) throws(JSONPathError) -> JSONPathFilter {
        let left = try operand()
        skipBlanks()
        guard let relation = try relationalOperator() else {
            guard case .current = left else {
                if case .root = left { return .exists(left, expected: !negated) }
                throw error("a filter condition needs an '@' or '$' path or a comparison")
            }
            return .exists(left, expected: !negated)
        }
        skipBlanks()
        let right = try operand()
        // Jayway ignores a '!' before a path that is compared (`!@.a == 1` is `@.a == 1`).
        return .relation(left, relation, right)
    }

    private mutating func relationalOperator() throws(JSONPathError) -> JSONPathFilter.Relation? {
        for symbol in ["===", "!==", "==", "!=", "<=", ">=", "=~", "<", ">"] where text.hasPrefix(symbol) {
            text = text.dropFirst(symbol.count)
            return JSONPathFilter.Relation(rawValue: symbol)
        }
        guard let first = text.first, first.isLetter else { return nil }
        let word = text.prefix(while: { $0.isLetter })
        if let relation = JSONPathFilter.Relation(rawValue: word.lowercased()), relation.rawValue.first!.isLetter {
            text = text.dropFirst(word.count)
            return relation
        }
        if ["all", "type", "matches"].contains(word.lowercased()) {
            throw error("the filter operator '\(word)' is not supported by Sluice")
        }
        throw error("unknown filter operator '\(word)'")
    }

    private mutating func operand() throws(JSONPathError) -> JSONPathFilter.Operand {
        skipBlanks()
        guard let first = text.first else { throw error(unexpected("a value")) }
        switch first {
        case "@", "$":
            text = text.dropFirst()
            var nested = JSONPathParser(source: source, text: text, inFilter: true)
            let steps = try nested.steps()
            text = nested.remainder
            let path = JSONPath(source: String(first), steps: steps)
            return first == "@" ? .current(path) : .root(path)
        case "/":
            return .pattern(try pattern())
        default:
            return .literal(try literal())
        }
    }

    /// `/regex/flags`: the regex runs to the next '/' not escaped by a backslash.
    private mutating func pattern() throws(JSONPathError) -> JSONPathPattern {
        text = text.dropFirst()
        var regex = ""
        var escaped = false
        while let character = text.popFirst() {
            if character == "/" && !escaped {
                let flags = text.prefix(while: { "dixmsuU".contains($0) })
                text = text.dropFirst(flags.count)
                return try JSONPathPattern(pattern: regex, flags: String(flags), path: source)
            }
            escaped = character == "\\" && !escaped
            regex.append(character)
        }
        throw error("unterminated regex, expected a closing '/'")
    }

    /// A literal: a quoted string, a number, `true`, `false`, `null`, or a `[...]`/`{...}` list read as JSON with
    /// Jayway's leniency (single-quoted strings and unquoted member names).
    private mutating func literal() throws(JSONPathError) -> JSONValue {
        skipBlanks()
        guard let first = text.first else { throw error(unexpected("a value")) }
        switch first {
        case "'", "\"":
            return .string(try takeQuoted())
        case "[":
            text = text.dropFirst()
            var elements: [JSONValue] = []
            skipBlanks()
            if text.first == "]" {
                text = text.dropFirst()
                return .array(elements)
            }
            while true {
                elements.append(try literal())
                skipBlanks()
                guard let separator = text.popFirst() else { throw error("unclosed '[' in a filter literal") }
                if separator == "]" { return .array(elements) }
                guard separator == "," else { throw error("expected ',' or ']' in a filter literal") }
            }
        case "{":
            text = text.dropFirst()
            var object = JSONObject()
            skipBlanks()
            if text.first == "}" {
                text = text.dropFirst()
                return .object(object)
            }
            while true {
                skipBlanks()
                let key: String
                if text.first == "'" || text.first == "\"" {
                    key = try takeQuoted()
                } else {
                    let name = text.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" })
                    guard !name.isEmpty else { throw error("expected a member name in a filter literal") }
                    key = String(name)
                    text = text.dropFirst(name.count)
                }
                skipBlanks()
                guard text.popFirst() == ":" else { throw error("expected ':' in a filter literal") }
                object[key] = try literal()
                skipBlanks()
                guard let separator = text.popFirst() else { throw error("unclosed '{' in a filter literal") }
                if separator == "}" { return .object(object) }
                guard separator == "," else { throw error("expected ',' or '}' in a filter literal") }
            }
        default:
            let word = text.prefix(while: { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." })
            switch word {
            case "true": text = text.dropFirst(4); return .bool(true)
            case "false": text = text.dropFirst(5); return .bool(false)
            case "null": text = text.dropFirst(4); return .null
            default:
                guard !word.isEmpty, word.first != "+", let value = Double(word), value.isFinite else {
                    throw error(unexpected("a value (a path, a quoted string, a number, true, false, null or a list)"))
                }
                // Kept as written when it is JSON number syntax, so comparisons with text see the same digits.
                let written = word.replacingLeadingDot()
                let number = if case .number(let json)? = try? JSONParser.parse(written) { json } else { JSONValue.format(value) }
                text = text.dropFirst(word.count)
                return .number(number)
            }
        }
    }
}

extension JSONPath.Step {
    /// True for the steps after which Jayway ignores one last character (see `JSONPathParser.steps`).
    fileprivate var endsInBracketOrWildcard: Bool {
        switch self {
        case .index, .union, .filter, .wildcard: true
        case .child, .descendant, .descendantWildcard: false
        }
    }
}

extension Substring {
    /// `.5` and `-.5` as JSON numbers want a leading zero.
    fileprivate func replacingLeadingDot() -> String {
        if hasPrefix("-.") { return "-0" + dropFirst() }
        if hasPrefix(".") { return "0" + self }
        return String(self)
    }
}
