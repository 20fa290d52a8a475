import Foundation

/// Turns the YAML subset API definitions and OpenAPI documents use into JSON, so `sluice api emit|create` and
/// `PUT /apis/{apiId}/swagger` read YAML with the same decoders as JSON (there is no YAML library in the build).
///
/// Supported: block mappings and sequences by indentation, `- key: value` items, flow collections (`[a, b]`,
/// `{url: "http://x"}`), single- and double-quoted scalars, `|` and `>` block scalars, comments, `---`. Plain scalars
/// follow YAML 1.2's core schema: `null`/`~`, `true`/`false`, integers and floats become JSON values (so quote a
/// version such as `"1.0"`), everything else is a string. Anchors, aliases, tags and multi-document streams are
/// refused with the line they are on.
package struct YAMLReader {
    /// A problem of the document, with its line (1-based).
    package struct Failure: Error, CustomStringConvertible {
        package var line: Int
        package var message: String
        package var description: String { "line \(line): \(message)" }
    }

    private struct Line {
        var number: Int
        var indent: Int
        var text: String
    }

    private let raw: [String]
    private var cursor = 0

    /// Whether `bytes` (from `path`) should be read as YAML: a `.yaml`/`.yml` name, or content not starting as JSON.
    package static func looksLikeYAML(_ bytes: [UInt8], path: String) -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return true }
        if lower.hasSuffix(".json") { return false }
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return first != UInt8(ascii: "{") && first != UInt8(ascii: "[")
    }

    /// The JSON form of a YAML document.
    /// - Throws: ``Failure`` naming the line.
    package static func json(fromYAML bytes: [UInt8]) throws(Failure) -> [UInt8] {
        guard let text = String(bytes: bytes, encoding: .utf8) else { throw Failure(line: 1, message: "not UTF-8") }
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        var reader = YAMLReader(raw: lines)
        let value = try reader.document()
        guard JSONSerialization.isValidJSONObject(value) else {
            throw Failure(line: 1, message: "the document must be a mapping or a sequence")
        }
        do {
            return Array(try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]))
        } catch {
            throw Failure(line: 1, message: "cannot be expressed as JSON")
        }
    }

    private init(raw: [String]) {
        self.raw = raw
    }

    // MARK: - Block structure

    private mutating func document() throws(Failure) -> Any {
        if let first = peek(), first.indent == 0, first.text == "---" { cursor = first.number }
        guard let start = peek() else { return [String: Any]() }
        let value = try block(indent: start.indent)
        if let extra = peek() {
            let message = extra.text == "---" ? "only one document is read" : "unexpected indentation"
            throw Failure(line: extra.number, message: message)
        }
        return value
    }

    /// The next line with content (skipping blank and comment-only lines), without consuming it.
    private func peek() -> Line? {
        var index = cursor
        while index < raw.count {
            let line = raw[index]
            let content = line.drop { $0 == " " }
            if !content.isEmpty && !content.hasPrefix("#") {
                let text = Self.strippingComment(String(content))
                return Line(number: index + 1, indent: line.count - content.count, text: text)
            }
            index += 1
        }
        return nil
    }

    private mutating func block(indent: Int) throws(Failure) -> Any {
        guard let line = peek() else { return NSNull() }
        if line.text.hasPrefix("\t") {
            throw Failure(line: line.number, message: "tabs cannot indent YAML")
        }
        return Self.isSequenceItem(line.text) ? try sequence(indent: indent) : try mapping(indent: indent)
    }

    private mutating func sequence(indent: Int) throws(Failure) -> [Any] {
        var items: [Any] = []
        while let line = peek(), line.indent == indent, Self.isSequenceItem(line.text) {
            cursor = line.number
            let rest = line.text.dropFirst().drop { $0 == " " }
            if rest.isEmpty {
                guard let next = peek(), next.indent > indent else {
                    items.append(NSNull())
                    continue
                }
                items.append(try block(indent: next.indent))
            } else if Self.keySplit(String(rest)) != nil && !rest.hasPrefix("{") && !rest.hasPrefix("[") {
                // `- key: value` starts a mapping indented like the text after the dash.
                let nested = indent + (line.text.count - rest.count)
                let first = Line(number: line.number, indent: nested, text: String(rest))
                items.append(try mapping(indent: nested, first: first))
            } else {
                items.append(try inline(String(rest), line: line.number))
            }
        }
        try rejectDeeperLine(than: indent)
        return items
    }

    private mutating func mapping(indent: Int, first: Line? = nil) throws(Failure) -> [String: Any] {
        var object: [String: Any] = [:]
        var pending = first
        while true {
            guard let line = pending ?? peek(), line.indent == indent, !Self.isSequenceItem(line.text) else { break }
            if pending == nil { cursor = line.number }
            pending = nil
            guard let (rawKey, rawValue) = Self.keySplit(line.text) else {
                throw Failure(line: line.number, message: "expected 'key: value'")
            }
            let key = try Self.keyText(rawKey, line: line.number)
            guard object[key] == nil else { throw Failure(line: line.number, message: "duplicate key '\(key)'") }
            if rawValue.isEmpty {
                if let next = peek(), next.indent > indent {
                    object[key] = try block(indent: next.indent)
                } else if let next = peek(), next.indent == indent, Self.isSequenceItem(next.text) {
                    object[key] = try sequence(indent: indent)
                } else {
                    object[key] = NSNull()
                }
            } else if let style = rawValue.first, style == "|" || style == ">", rawValue.count <= 2 {
                object[key] = blockScalar(
                    folded: style == ">",
                    keep: rawValue.hasSuffix("+"),
                    strip: rawValue.hasSuffix("-"),
                    parent: indent
                )
            } else {
                object[key] = try inline(rawValue, line: line.number)
            }
        }
        try rejectDeeperLine(than: indent)
        return object
    }

    private func rejectDeeperLine(than indent: Int) throws(Failure) {
        guard let line = peek(), line.indent > indent else { return }
        throw Failure(line: line.number, message: "unexpected indentation")
    }

    /// A `|` (literal) or `>` (folded) scalar: the following lines indented deeper than `parent`.
    private mutating func blockScalar(folded: Bool, keep: Bool, strip: Bool, parent: Int) -> String {
        var lines: [String] = []
        var contentIndent: Int?
        while cursor < raw.count {
            let line = raw[cursor]
            let content = line.drop { $0 == " " }
            let indent = line.count - content.count
            if content.isEmpty {
                lines.append("")
            } else {
                guard indent > parent else { break }
                let base = contentIndent ?? indent
                contentIndent = base
                lines.append(String(line.dropFirst(min(base, indent))))
            }
            cursor += 1
        }
        var trailing = 0
        while let last = lines.last, last.isEmpty {
            lines.removeLast()
            trailing += 1
        }
        // Blank lines after the scalar belong to what follows; give them back.
        cursor -= trailing
        var text = folded ? Self.fold(lines) : lines.joined(separator: "\n")
        if !strip { text += "\n" }
        if keep { text += String(repeating: "\n", count: trailing) }
        return text
    }

    private static func fold(_ lines: [String]) -> String {
        var text = ""
        for (index, line) in lines.enumerated() {
            if index > 0 { text += line.isEmpty || lines[index - 1].isEmpty || line.hasPrefix(" ") ? "\n" : " " }
            text += line
        }
        return text
    }

    // MARK: - Scalars and flow collections

    private func inline(_ text: String, line: Int) throws(Failure) -> Any {
        var scanner = FlowScanner(characters: Array(text), line: line)
        let value = try scanner.value(inFlow: false)
        scanner.skipSpaces()
        guard scanner.atEnd else { throw Failure(line: line, message: "unexpected text after the value: \(text)") }
        return value
    }

    private static func keyText(_ raw: String, line: Int) throws(Failure) -> String {
        var scanner = FlowScanner(characters: Array(raw), line: line)
        let value = try scanner.value(inFlow: false)
        switch value {
        case let text as String: return text
        case is NSNull: return "null"
        default: return raw
        }
    }

    private static func isSequenceItem(_ text: String) -> Bool {
        text == "-" || text.hasPrefix("- ")
    }

    /// Splits `key: value` at the first `: ` (or a final `:`) outside quotes and brackets.
    private static func keySplit(_ text: String) -> (String, String)? {
        var quote: Character?
        var depth = 0
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case "[", "{": depth += 1
            case "]", "}": depth -= 1
            case ":" where depth == 0 && (index + 1 == characters.count || characters[index + 1] == " "):
                let key = String(characters[..<index]).trimmingCharacters(in: .whitespaces)
                let value = String(characters[(index + 1)...]).trimmingCharacters(in: .whitespaces)
                return key.isEmpty ? nil : (key, value)
            default: break
            }
        }
        return nil
    }

    /// The text without a ` #comment` outside quotes.
    private static func strippingComment(_ text: String) -> String {
        var quote: Character?
        var previous: Character = " "
        for (offset, character) in text.enumerated() {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#" && previous == " " {
                return String(text.prefix(offset)).trimmingCharacters(in: .whitespaces)
            }
            previous = character
        }
        return text.trimmingCharacters(in: .whitespaces)
    }
}

/// Reads one inline YAML value: a quoted or plain scalar, or a flow sequence or mapping.
private struct FlowScanner {
    let characters: [Character]
    let line: Int
    var index = 0

    var atEnd: Bool { index >= characters.count }

    mutating func skipSpaces() {
        while index < characters.count, characters[index] == " " { index += 1 }
    }

    mutating func value(inFlow: Bool) throws(YAMLReader.Failure) -> Any {
        skipSpaces()
        guard index < characters.count else { return NSNull() }
        switch characters[index] {
        case "[": return try flowSequence()
        case "{": return try flowMapping()
        case "\"": return try doubleQuoted()
        case "'": return try singleQuoted()
        case "&", "*", "!":
            throw YAMLReader.Failure(line: line, message: "anchors, aliases and tags are not supported")
        default: return plain(inFlow: inFlow)
        }
    }

    private mutating func flowSequence() throws(YAMLReader.Failure) -> [Any] {
        index += 1
        var items: [Any] = []
        skipSpaces()
        if index < characters.count, characters[index] == "]" {
            index += 1
            return items
        }
        while true {
            items.append(try value(inFlow: true))
            skipSpaces()
            guard index < characters.count else { throw fail("a flow sequence is not closed with ]") }
            if characters[index] == "]" {
                index += 1
                return items
            }
            guard characters[index] == "," else { throw fail("expected , or ] in a flow sequence") }
            index += 1
        }
    }

    private mutating func flowMapping() throws(YAMLReader.Failure) -> [String: Any] {
        index += 1
        var object: [String: Any] = [:]
        skipSpaces()
        if index < characters.count, characters[index] == "}" {
            index += 1
            return object
        }
        while true {
            let key = try value(inFlow: true)
            skipSpaces()
            guard index < characters.count, characters[index] == ":" else { throw fail("expected : in a flow mapping") }
            index += 1
            object[(key as? String) ?? "\(key)"] = try value(inFlow: true)
            skipSpaces()
            guard index < characters.count else { throw fail("a flow mapping is not closed with }") }
            if characters[index] == "}" {
                index += 1
                return object
            }
            guard characters[index] == "," else { throw fail("expected , or } in a flow mapping") }
            index += 1
        }
    }

    private mutating func doubleQuoted() throws(YAMLReader.Failure) -> String {
        index += 1
        var text = ""
        while index < characters.count {
            let character = characters[index]
            index += 1
            if character == "\"" { return text }
            guard character == "\\" else {
                text.append(character)
                continue
            }
            guard index < characters.count else { break }
            let escaped = characters[index]
            index += 1
            switch escaped {
            case "n": text.append("\n")
            case "t": text.append("\t")
            case "r": text.append("\r")
            case "0": text.append("\0")
            case "\"", "\\", "/": text.append(escaped)
            case "u":
                guard index + 4 <= characters.count,
                    let code = UInt32(String(characters[index..<index + 4]), radix: 16),
                    let scalar = Unicode.Scalar(code)
                else { throw fail("bad \\u escape") }
                text.unicodeScalars.append(scalar)
                index += 4
            default: throw fail("unknown escape \\\(escaped)")
            }
        }
        throw fail("a double-quoted string is not closed")
    }

    private mutating func singleQuoted() throws(YAMLReader.Failure) -> String {
        index += 1
        var text = ""
        while index < characters.count {
            let character = characters[index]
            index += 1
            if character == "'" {
                if index < characters.count, characters[index] == "'" {
                    text.append("'")
                    index += 1
                    continue
                }
                return text
            }
            text.append(character)
        }
        throw fail("a single-quoted string is not closed")
    }

    /// A plain scalar, typed by YAML 1.2's core schema.
    private mutating func plain(inFlow: Bool) -> Any {
        let start = index
        while index < characters.count {
            let character = characters[index]
            if inFlow && (character == "," || character == "]" || character == "}") { break }
            if inFlow && character == ":" && (index + 1 == characters.count || characters[index + 1] == " ") { break }
            index += 1
        }
        let text = String(characters[start..<index]).trimmingCharacters(in: .whitespaces)
        switch text {
        case "", "~", "null", "Null", "NULL": return NSNull()
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: break
        }
        if text.range(of: "^[-+]?[0-9]+$", options: .regularExpression) != nil, let number = Int(text) { return number }
        if text.range(of: "^[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$", options: .regularExpression) != nil,
            let number = Double(text)
        {
            return number
        }
        return text
    }

    private func fail(_ message: String) -> YAMLReader.Failure {
        YAMLReader.Failure(line: line, message: message)
    }
}
