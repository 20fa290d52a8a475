/// One token of a Synapse Expression (the text between `${` and `}`).
struct SynapseExpressionToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A name or keyword: `payload`, `vars`, `and`, `toUpper`, a member name... The parser decides by position
        /// which it is, as a member name after `.` may be any word (`payload.vars.headers`).
        case word(String)
        /// A number literal as written, with its leading `-` (the lexer of Synapse reads `-2.5` as one number).
        case number(String)
        /// A string literal without its quotes; escapes are kept as written, as Synapse keeps them.
        case string(String)
        /// `.length()`, `.size()`, `.min()`... after a JSON path: one token, as in Synapse's lexer.
        case pathFunction(String)
        /// Any operator or delimiter: `+ - * / % == != > < >= <= && || ! ( ) [ ] . .. , : ? @ $`.
        case symbol(String)
        case end
    }

    let kind: Kind
    /// The 1-based column of the token's first character within the expression text.
    let column: Int

    var word: String? {
        if case .word(let text) = kind { return text }
        return nil
    }

    func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(let text) = kind { return text == symbol }
        return false
    }
}

/// A Synapse Expression that does not parse: the reason and the column of the expression text it was found at.
struct SynapseExpressionSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    let reason: String
    /// 1-based, within the expression text.
    let column: Int

    var description: String { "\(reason) at column \(column)" }
}

/// Splits a Synapse Expression into tokens, following the token rules of WSO2 Synapse's `ExpressionLexer`.
enum SynapseExpressionLexer {
    /// The JSON path functions Synapse's lexer reads as one token when written with `()`.
    static let pathFunctions: Set<String> = [
        "length", "size", "min", "max", "avg", "sum", "stddev", "keys", "first", "last",
    ]

    private static let twoCharacterSymbols: Set<String> = ["==", "!=", ">=", "<=", "&&", "||", "..", "=~"]
    private static let oneCharacterSymbols: Set<Character> = [
        "+", "-", "*", "/", "%", ">", "<", "!", "(", ")", "[", "]", ".", ",", ":", "?", "@", "$",
    ]

    /// The tokens of `text`, ending with `.end`.
    /// - Throws: `SynapseExpressionSyntaxError` for a character no token starts with or an unterminated string.
    static func tokens(of text: String) throws(SynapseExpressionSyntaxError) -> [SynapseExpressionToken] {
        let characters = Array(text)
        var tokens: [SynapseExpressionToken] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let column = index + 1
            if character.isWhitespace {
                index += 1
                continue
            }
            if character == "\"" || character == "'" {
                var end = index + 1
                while end < characters.count && characters[end] != character {
                    end += characters[end] == "\\" ? 2 : 1
                }
                guard end < characters.count else {
                    throw SynapseExpressionSyntaxError(reason: "unterminated string literal", column: column)
                }
                tokens.append(.init(kind: .string(String(characters[(index + 1)..<end])), column: column))
                index = end + 1
                continue
            }
            let startsNumber = character.isASCIIDigit
                || (character == "-" && index + 1 < characters.count && characters[index + 1].isASCIIDigit)
            if startsNumber {
                var end = index + 1
                while end < characters.count && characters[end].isASCIIDigit { end += 1 }
                if end + 1 < characters.count && characters[end] == "." && characters[end + 1].isASCIIDigit {
                    end += 1
                    while end < characters.count && characters[end].isASCIIDigit { end += 1 }
                }
                tokens.append(.init(kind: .number(String(characters[index..<end])), column: column))
                index = end
                continue
            }
            if character.isWordStart {
                var end = index + 1
                while end < characters.count && characters[end].isWordPart { end += 1 }
                let word = String(characters[index..<end])
                tokens.append(.init(kind: .word(word), column: column))
                index = end
                continue
            }
            if character == ".", let function = pathFunction(in: characters, after: index) {
                tokens.append(.init(kind: .pathFunction(function), column: column))
                index += function.count + 3
                continue
            }
            if index + 1 < characters.count, twoCharacterSymbols.contains(String(characters[index...(index + 1)])) {
                tokens.append(.init(kind: .symbol(String(characters[index...(index + 1)])), column: column))
                index += 2
                continue
            }
            if oneCharacterSymbols.contains(character) {
                tokens.append(.init(kind: .symbol(String(character)), column: column))
                index += 1
                continue
            }
            throw SynapseExpressionSyntaxError(reason: "unexpected character '\(character)'", column: column)
        }
        tokens.append(.init(kind: .end, column: characters.count + 1))
        return tokens
    }

    /// `.name()` for a JSON path function at `dot`, or nil.
    private static func pathFunction(in characters: [Character], after dot: Int) -> String? {
        var end = dot + 1
        while end < characters.count && characters[end].isLetter { end += 1 }
        guard end + 1 < characters.count, characters[end] == "(", characters[end + 1] == ")" else { return nil }
        let name = String(characters[(dot + 1)..<end])
        return pathFunctions.contains(name) ? name : nil
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isWordStart: Bool { (isASCII && isLetter) || self == "_" }
    // Synapse's identifiers may hold '-' after the first character (`wso2-vault`, `X-Header` as a member name).
    fileprivate var isWordPart: Bool { isWordStart || isASCIIDigit || self == "-" }
}
