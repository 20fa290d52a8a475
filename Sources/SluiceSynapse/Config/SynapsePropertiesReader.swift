public import SluiceModel

/// Reads `repository/conf/synapse.properties` (Java properties syntax: `key=value`, `key: value` or `key value`,
/// `#` and `!` comments, `\` continuation lines, `\uXXXX` escapes), keeping the entries Sluice acts on
/// (`SynapseProperties`); Synapse's many other tuning entries are accepted and have no effect here.
public enum SynapsePropertiesReader {
    /// Reads the file; a missing file gives WSO2 4.x's defaults.
    /// - Throws: `SynapseDiagnostics` with the line of a malformed escape or of a value Sluice acts on that is
    ///   not `true`/`false` (Java would read it as false without a word).
    public static func read(path: String) throws(SynapseDiagnostics) -> SynapseProperties {
        guard FileBytes.exists(path) else { return .defaults }
        let bytes = try FileBytes.read(path: path, limit: 1024 * 1024)
        return try parse(String(decoding: bytes, as: UTF8.self), fileName: path)
    }

    /// Reads properties text.
    /// - Parameters:
    ///   - text: The file's content.
    ///   - fileName: The file named in diagnostics.
    public static func parse(_ text: String, fileName: String) throws(SynapseDiagnostics) -> SynapseProperties {
        var problems: [SynapseDiagnostic] = []
        var settings = SynapseProperties.defaults
        for entry in entries(text, fileName: fileName, problems: &problems) {
            guard entry.key == SynapseProperties.jsonToXMLProcessingInstructionsKey else { continue }
            // WSO2 trims this value before reading it.
            switch entry.value.trimmingSpaces().lowercased() {
            case "true": settings.jsonToXMLProcessingInstructions = true
            case "false": settings.jsonToXMLProcessingInstructions = false
            default:
                problems.append(
                    SynapseDiagnostic(
                        message: "\(entry.key) must be true or false, not '\(entry.value)'",
                        location: SourceLocation(file: fileName, line: entry.line)
                    )
                )
            }
        }
        if !problems.isEmpty { throw SynapseDiagnostics(problems) }
        return settings
    }

    struct Entry: Equatable {
        let key: String
        let value: String
        /// The line the entry starts on (1-based).
        let line: Int
    }

    /// The entries of properties text in file order (a later duplicate key is a later entry).
    static func entries(_ text: String, fileName: String, problems: inout [SynapseDiagnostic]) -> [Entry] {
        var result: [Entry] = []
        var logical = ""
        var startLine = 0
        // "\r\n" is one Character in Swift; Java ends a line at "\r\n", "\r" or "\n".
        let lines = text.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        for (index, rawLine) in lines.enumerated() {
            var line = Substring(rawLine)
            if logical.isEmpty {
                // Leading white space is dropped from every physical line, also a continuation's.
                line = line.drop(while: { $0 == " " || $0 == "\t" || $0 == "\u{0C}" })
                if line.isEmpty || line.first == "#" || line.first == "!" { continue }
                startLine = index + 1
            } else {
                line = line.drop(while: { $0 == " " || $0 == "\t" || $0 == "\u{0C}" })
            }
            let trailingBackslashes = line.reversed().prefix(while: { $0 == "\\" }).count
            if trailingBackslashes % 2 == 1 {
                logical += line.dropLast()
                if index < lines.count - 1 { continue }
            } else {
                logical += line
            }
            let location = SourceLocation(file: fileName, line: startLine)
            if let entry = split(logical, line: startLine, location: location, problems: &problems) {
                result.append(entry)
            }
            logical = ""
        }
        return result
    }

    /// Splits a logical line at the first unescaped `=`, `:` or white space into an unescaped key and value.
    private static func split(
        _ line: String,
        line number: Int,
        location: SourceLocation,
        problems: inout [SynapseDiagnostic]
    ) -> Entry? {
        var keyEnd = line.endIndex
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if character == "\\" {
                index = line.index(after: index)
                if index < line.endIndex { index = line.index(after: index) }
                continue
            }
            if character == "=" || character == ":" || character == " " || character == "\t" || character == "\u{0C}" {
                keyEnd = index
                break
            }
            index = line.index(after: index)
        }
        var rest = line[keyEnd...].drop(while: { $0 == " " || $0 == "\t" || $0 == "\u{0C}" })
        if rest.first == "=" || rest.first == ":" {
            rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" || $0 == "\u{0C}" })
        }
        guard let key = unescape(line[..<keyEnd]), let value = unescape(rest) else {
            problems.append(SynapseDiagnostic(message: "malformed \\uXXXX escape", location: location))
            return nil
        }
        return Entry(key: key, value: value, line: number)
    }

    /// Undoes Java's escapes (`\t`, `\n`, `\r`, `\f`, `\uXXXX`, `\` before any other character); nil for a
    /// malformed `\u`.
    private static func unescape(_ text: Substring) -> String? {
        guard text.contains("\\") else { return String(text) }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            guard character == "\\", index < text.endIndex else {
                if character != "\\" { result.append(character) }
                continue
            }
            let escaped = text[index]
            index = text.index(after: index)
            switch escaped {
            case "t": result.append("\t")
            case "n": result.append("\n")
            case "r": result.append("\r")
            case "f": result.append("\u{0C}")
            case "u":
                let digits = text[index...].prefix(4)
                guard digits.count == 4, let code = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(code) else {
                    return nil
                }
                result.unicodeScalars.append(scalar)
                index = text.index(index, offsetBy: 4)
            default: result.append(escaped)
            }
        }
        return result
    }
}
