/// A recursive-descent parser for Synapse Expressions, following the rules of WSO2 Synapse's `ExpressionParser`
/// grammar (MI 4.4): the precedence and associativity below are Synapse's, quirks included (`a > 1 and b`
/// compares `a` with `1 and b`; write `(a > 1) and b`).
///
/// ```
/// expression  := comparison ('?' expression ':' expression)?
/// comparison  := logical (('==' | '!=' | '<' | '<=' | '>' | '>=') logical)*
/// logical     := arithmetic (('and' | '&&' | 'or' | '||') logical)?
/// arithmetic  := term (('+' | '-') term)*
/// term        := factor (('*' | '/' | '%') factor)*
/// factor      := literal | function | payload | vars | headers | configs | params | props | '(' expression ')'
/// ```
struct SynapseExpressionParser {
    private let tokens: [SynapseExpressionToken]
    private var position = 0

    /// Parses the text between `${` and `}`.
    /// - Throws: `SynapseExpressionSyntaxError` with the column (within `text`) where parsing stopped.
    static func parse(_ text: String) throws(SynapseExpressionSyntaxError) -> SynapseExpressionNode {
        var parser = SynapseExpressionParser(tokens: try SynapseExpressionLexer.tokens(of: text))
        guard parser.current.kind != .end else {
            throw SynapseExpressionSyntaxError(reason: "empty expression", column: 1)
        }
        let node = try parser.expression()
        guard parser.current.kind == .end else {
            throw parser.unexpected("after the expression")
        }
        return node
    }

    private init(tokens: [SynapseExpressionToken]) {
        self.tokens = tokens
    }

    // MARK: - Tokens

    private var current: SynapseExpressionToken { tokens[position] }
    private var next: SynapseExpressionToken { tokens[min(position + 1, tokens.count - 1)] }

    private mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    private mutating func accept(_ symbol: String) -> Bool {
        guard current.isSymbol(symbol) else { return false }
        advance()
        return true
    }

    private mutating func expect(_ symbol: String, _ context: String) throws(SynapseExpressionSyntaxError) {
        guard accept(symbol) else { throw unexpected("where '\(symbol)' \(context) was expected") }
    }

    private func unexpected(_ context: String) -> SynapseExpressionSyntaxError {
        let found: String
        switch current.kind {
        case .end: found = "end of expression"
        case .word(let word): found = "'\(word)'"
        case .number(let number): found = "number \(number)"
        case .string(let text): found = "string \"\(text)\""
        case .pathFunction(let name): found = "'.\(name)()'"
        case .symbol(let symbol): found = "'\(symbol)'"
        }
        return SynapseExpressionSyntaxError(reason: "unexpected \(found) \(context)", column: current.column)
    }

    // MARK: - Operators

    private mutating func expression() throws(SynapseExpressionSyntaxError) -> SynapseExpressionNode {
        let condition = try comparison()
        guard accept("?") else { return condition }
        let then = try expression()
        try expect(":", "of a conditional expression")
        let otherwise = try expression()
        return .conditional(condition, then, otherwise)
    }

    private mutating func comparison() throws(SynapseExpressionSyntaxError) -> SynapseExpressionNode {
        var left = try logical()
        while case .symbol(let symbol) = current.kind,
            let comparison = SynapseBinaryOperator(rawValue: symbol),
            [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(comparison)
        {
            advance()
            left = .binary(comparison, left, try logical())
        }
        return left
    }

    private mutating func logical() throws(SynapseExpressionSyntaxError) -> SynapseExpressionNode {
        let left = try arithmetic()
        let logicalOperator: SynapseBinaryOperator?
        switch current.kind {
        case .word("and"), .symbol("&&"): logicalOperator = .and
        case .word("or"), .symbol("||"): logicalOperator = .or
        default: logicalOperator = nil
        }
        guard let logicalOperator else { return left }
        advance()
        return .binary(logicalOperator, left, try logical())
    }

    private mutating func arithmetic() throws(SynapseExpressionSyntaxError) -> SynapseExpressionNode {
        var left = try term()
        while current.isSymbol("+") || current.isSymbol("-") {
            let operation: SynapseBinaryOperator = current.isSymbol("+") ? .add : .subtract
            advance()
            left = .binary(operation, left, try term())
        }
        return left
    }

    private mutating func term() throws(SynapseExpressionSyntaxError) -> SynapseExpressionNode {
        var left = try factor()
        while current.isSymbol("*") || current.isSymbol("/") || current.isSymbol("%") {
            let operation: SynapseBinaryOperator =
                current.isSymbol("*") ? .multiply : current.isSymbol("/") ? .divide : .modulo
            advance()
            left = .binary(operation, left, try factor())
        }
        return left
    }

    // MARK: - Factors

    private mutating func factor() throws(SynapseExpressionSyntaxError) -> SynapseExpressionNode {
        let token = current
        switch token.kind {
        case .number(let text):
            advance()
            return .literal(Self.numberLiteral(text))
        case .string(let text):
            advance()
            return .literal(.string(text))
        case .symbol("("):
            advance()
            let inner = try expression()
            try expect(")", "closing '('")
            return inner
        case .symbol("["):
            advance()
            var elements: [SynapseExpressionNode] = []
            if !accept("]") {
                repeat { elements.append(try expression()) } while accept(",")
                try expect("]", "closing the array")
            }
            return .array(elements)
        case .symbol("$"):
            advance()
            return .payload(try path())
        case .word(let word):
            return try wordFactor(word, token: token)
        default:
            throw unexpected("where a value was expected")
        }
    }

    private mutating func wordFactor(
        _ word: String,
        token: SynapseExpressionToken
    ) throws(SynapseExpressionSyntaxError) -> SynapseExpressionNode {
        switch word {
        case "true", "false":
            advance()
            return .literal(.bool(word == "true"))
        case "null":
            advance()
            return .literal(.null)
        case "payload":
            advance()
            return .payload(try path())
        case "vars":
            advance()
            let name = try propertyName(of: "vars", allowsDottedString: true)
            return .variable(name, try path())
        case "headers":
            advance()
            return .header(try propertyName(of: "headers"))
        case "configs":
            advance()
            return .config(try propertyName(of: "configs"))
        case "params":
            advance()
            try expect(".", "after 'params'")
            guard let kindWord = current.word, let kind = SynapseParameterKind(rawValue: kindWord) else {
                throw unexpected("where queryParams, pathParams or functionParams was expected")
            }
            advance()
            return .parameter(kind, try propertyName(of: "params.\(kindWord)"))
        case "props", "properties":
            advance()
            try expect(".", "after '\(word)'")
            guard let scopeWord = current.word, let scope = SynapsePropertyScope(rawValue: scopeWord) else {
                throw unexpected("where synapse or axis2 was expected")
            }
            advance()
            return .property(scope, try propertyName(of: "\(word).\(scopeWord)"))
        default:
            guard let function = SynapseFunction(rawValue: word), next.isSymbol("(") else {
                throw SynapseExpressionSyntaxError(
                    reason: "unknown name '\(word)': expected payload, $, vars, headers, props, params, configs, "
                        + "a function call or a literal",
                    column: token.column
                )
            }
            advance()
            return try functionCall(function, token: token)
        }
    }

    private mutating func functionCall(
        _ function: SynapseFunction,
        token: SynapseExpressionToken
    ) throws(SynapseExpressionSyntaxError) -> SynapseExpressionNode {
        try expect("(", "after a function name")
        var arguments: [SynapseExpressionNode] = []
        if !accept(")") {
            repeat { arguments.append(try expression()) } while accept(",")
            try expect(")", "closing the arguments")
        }
        guard function.arities.contains(arguments.count) else {
            let expected = function.arities.sorted().map(String.init).joined(separator: " or ")
            throw SynapseExpressionSyntaxError(
                reason: "\(function.rawValue)() takes \(expected) argument(s), not \(arguments.count)",
                column: token.column
            )
        }
        // Sluice has no secret store: a lookup that could only give null at run time (a backend called without its
        // credential) is refused at deployment instead.
        if function == .wso2Vault || function == .hashicorpVault {
            throw SynapseExpressionSyntaxError(
                reason: "\(function.rawValue)() is not supported: Sluice has no secure vault; "
                    + "read the secret from the environment with ${configs.NAME}",
                column: token.column
            )
        }
        // registry("key").property("name") reads a property of the resource.
        if function == .registry, current.isSymbol("."), next.word == "property" {
            advance()
            advance()
            try expect("(", "after 'property'")
            arguments.append(try expression())
            try expect(")", "closing property(...)")
            return .function(function, arguments, path: [])
        }
        let suffix = [.registry, .object, .array].contains(function) ? try path() : []
        return .function(function, arguments, path: suffix)
    }

    /// `.name`, `.keyword` or `["name"]` (and `."name"` for variables).
    private mutating func propertyName(
        of owner: String,
        allowsDottedString: Bool = false
    ) throws(SynapseExpressionSyntaxError) -> String {
        if accept(".") {
            switch current.kind {
            case .word(let name):
                advance()
                return name
            case .string(let name) where allowsDottedString:
                advance()
                return name
            case .symbol("["):
                break
            default:
                throw unexpected("where a name after '\(owner).' was expected")
            }
        }
        guard accept("[") else { throw unexpected("where '.name' or '[\"name\"]' after '\(owner)' was expected") }
        guard case .string(let name) = current.kind else { throw unexpected("where a quoted name was expected") }
        advance()
        try expect("]", "closing the name")
        return name
    }

    // MARK: - JSON paths

    /// The JSON path steps following `payload`, `$`, a variable or a function result (possibly none).
    private mutating func path() throws(SynapseExpressionSyntaxError) -> [SynapseJSONPathStep] {
        var steps: [SynapseJSONPathStep] = []
        while true {
            switch current.kind {
            case .pathFunction(let name):
                advance()
                steps.append(.function(name))
            case .symbol(".."):
                advance()
                if accept("*") {
                    steps.append(.descendantWildcard)
                } else if let name = current.word {
                    advance()
                    steps.append(.descendant(name))
                } else {
                    throw unexpected("after '..'")
                }
            case .symbol("."):
                advance()
                if accept("*") {
                    steps.append(.wildcard)
                } else if let name = current.word {
                    advance()
                    steps.append(.member(name))
                } else if current.isSymbol("[") {
                    steps.append(try bracket())
                } else {
                    throw unexpected("after '.'")
                }
            case .symbol("["):
                steps.append(try bracket())
            default:
                return steps
            }
        }
    }

    private mutating func bracket() throws(SynapseExpressionSyntaxError) -> SynapseJSONPathStep {
        try expect("[", "opening an index")
        if accept("*") {
            try expect("]", "closing '[*'")
            return .wildcard
        }
        if current.isSymbol("?") {
            advance()
            try expect("(", "after '?' of a filter")
            let condition = try filterOr()
            try expect(")", "closing the filter")
            try expect("]", "closing the filter")
            return .filter(condition)
        }
        if accept(":") {
            let end = current.isSymbol("]") ? nil : try signed()
            try skipSliceStep()
            try expect("]", "closing the slice")
            return .slice(nil, end)
        }
        let first = try signed()
        if accept(":") {
            let end = current.isSymbol("]") || current.isSymbol(":") ? nil : try signed()
            try skipSliceStep()
            try expect("]", "closing the slice")
            return .slice(first, end)
        }
        if current.isSymbol(",") {
            var members = [first]
            while accept(",") { members.append(try expression()) }
            try expect("]", "closing the index list")
            return .union(members)
        }
        try expect("]", "closing the index")
        return .index(first)
    }

    private mutating func skipSliceStep() throws(SynapseExpressionSyntaxError) {
        if accept(":"), !current.isSymbol("]") { _ = try signed() }
    }

    private mutating func signed() throws(SynapseExpressionSyntaxError) -> SynapseExpressionNode {
        if accept("-") { return .negated(try expression()) }
        return try expression()
    }

    // MARK: - Filters (`[?(@.price < 10 && @.category == "fiction")]`)

    private mutating func filterOr() throws(SynapseExpressionSyntaxError) -> SynapseExpressionNode {
        var left = try filterAnd()
        while accept("||") || acceptWord("or") { left = .binary(.or, left, try filterAnd()) }
        return left
    }

    private mutating func filterAnd() throws(SynapseExpressionSyntaxError) -> SynapseExpressionNode {
        var left = try filterUnary()
        while accept("&&") || acceptWord("and") { left = .binary(.and, left, try filterUnary()) }
        return left
    }

    private mutating func filterUnary() throws(SynapseExpressionSyntaxError) -> SynapseExpressionNode {
        if accept("!") { return .not(try filterUnary()) }
        if current.isSymbol("(") {
            advance()
            let inner = try filterOr()
            try expect(")", "closing '('")
            return inner
        }
        let left = try filterOperand()
        guard case .symbol(let symbol) = current.kind, let comparison = SynapseBinaryOperator(rawValue: symbol),
            [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(comparison)
        else {
            if current.isSymbol("=~") || ["in", "nin", "subsetof", "anyof", "noneof", "size", "empty"].contains(current.word ?? "") {
                throw unexpected("(this JSON path filter operator is not supported by Sluice)")
            }
            return left
        }
        advance()
        return .binary(comparison, left, try filterOperand())
    }

    private mutating func filterOperand() throws(SynapseExpressionSyntaxError) -> SynapseExpressionNode {
        if accept("@") { return .current(try path()) }
        return try arithmetic()
    }

    private mutating func acceptWord(_ word: String) -> Bool {
        guard current.word == word else { return false }
        advance()
        return true
    }

    /// A number literal as Synapse's `LiteralNode` reads it: int, then long, then double.
    private static func numberLiteral(_ text: String) -> SynapseValue {
        if let value = Int64(text) { return .integer(value) }
        return .double(Double(text) ?? 0)
    }
}
