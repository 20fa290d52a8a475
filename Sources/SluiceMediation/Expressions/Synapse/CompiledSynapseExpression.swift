import Logging
import SluiceModel

/// A Synapse Expression (`${...}`, WSO2 Micro Integrator 4.4) parsed into its tree once at deploy time.
struct CompiledSynapseExpression: Sendable, Hashable {
    /// The text between `${` and `}`.
    let source: String
    let root: SynapseExpressionNode
    let namespaces: [String: String]
    /// True when evaluating may read the payload (`payload`, `$`, an `xpath(...)` over the message).
    let readsBody: Bool

    /// Parses an expression.
    /// - Throws: `SynapseExpressionSyntaxError` with the column within `source`.
    init(_ source: String, namespaces: [String: String] = [:]) throws(SynapseExpressionSyntaxError) {
        self.source = source
        self.namespaces = namespaces
        root = try SynapseExpressionParser.parse(source)
        try Self.checkXPaths(in: root)
        readsBody = Self.readsBody(root)
    }

    /// The expression's value; null when evaluation fails, as Synapse logs the failure and gives null.
    func value(_ context: inout MessageContext) -> SynapseValue {
        do {
            return try evaluate(&context)
        } catch {
            // Synapse warns; a missing member is how `exists`-style checks read, so we keep it out of production logs.
            context.logger.debug(
                "Synapse expression gave no value",
                metadata: ["sluice.expression": "\(source)", "sluice.reason": "\(error.reason)"]
            )
            return .null
        }
    }

    /// The expression's value, or why it has none.
    func evaluate(_ context: inout MessageContext) throws(SynapseEvaluationError) -> SynapseValue {
        // Synapse reads `${payload}` of an XML message as the XML payload itself (xpath('$body')), not as JSON.
        if case .payload([]) = root, context.headers.first(name: "Content-Type")?.contains("xml") == true {
            return try Self.xmlPayload(&context)
        }
        var evaluator = SynapseExpressionEvaluator(namespaces: namespaces)
        return try evaluator.evaluate(root, &context)
    }

    /// The value as `SynapseExpression.stringValueOf` gives it: empty when there is none.
    func string(_ context: inout MessageContext) -> String {
        value(&context).stringValue ?? ""
    }

    private static func xmlPayload(_ context: inout MessageContext) throws(SynapseEvaluationError) -> SynapseValue {
        do {
            guard let payload = try context.xmlPayload(for: "expression") else {
                throw SynapseEvaluationError("payload is empty")
            }
            guard case .nodes(let nodes) = try XPathEngine.evaluate("$body/*[1]", namespaces: [:], payload: payload, context: context),
                let element = nodes.first
            else {
                throw SynapseEvaluationError("payload is empty")
            }
            return .element(element.markup)
        } catch let error as SynapseEvaluationError {
            throw error
        } catch {
            throw SynapseEvaluationError("cannot read the XML payload")
        }
    }

    // MARK: - Deploy-time analysis

    private static func readsBody(_ node: SynapseExpressionNode) -> Bool {
        switch node {
        case .payload: return true
        case .literal, .header, .property, .parameter, .config: return false
        case .array(let elements): return elements.contains(where: readsBody)
        case .binary(_, let left, let right): return readsBody(left) || readsBody(right)
        case .conditional(let a, let b, let c): return readsBody(a) || readsBody(b) || readsBody(c)
        case .negated(let inner), .not(let inner): return readsBody(inner)
        case .variable(_, let steps), .current(let steps): return steps.contains(where: readsBody)
        case .function(let function, let arguments, let steps):
            if function == .xpath && arguments.count == 1 {
                guard case .literal(.string(let text)) = arguments[0] else { return true }
                return XPathEngine.touchesPayload(text)
            }
            return arguments.contains(where: readsBody) || steps.contains(where: readsBody)
        }
    }

    private static func readsBody(_ step: SynapseJSONPathStep) -> Bool {
        switch step {
        case .index(let node), .filter(let node): readsBody(node)
        case .union(let nodes): nodes.contains(where: readsBody)
        case .slice(let start, let end): [start, end].compactMap { $0 }.contains(where: readsBody)
        case .member, .wildcard, .descendant, .descendantWildcard, .function: false
        }
    }

    /// An `xpath("...")` with literal text is compiled now, so a broken XPath fails the deployment.
    private static func checkXPaths(in node: SynapseExpressionNode) throws(SynapseExpressionSyntaxError) {
        switch node {
        case .function(.xpath, let arguments, _):
            if case .literal(.string(let text)) = arguments[0] {
                let xpath = arguments.count == 2 ? "$body/*[1]" + (text.hasPrefix("/") ? "" : "/") + text : text
                if let reason = XPathEngine.syntaxError(in: xpath) {
                    throw SynapseExpressionSyntaxError(reason: "xpath(\"\(text)\"): \(reason)", column: 1)
                }
            }
            for argument in arguments { try checkXPaths(in: argument) }
        case .function(_, let arguments, _), .array(let arguments):
            for argument in arguments { try checkXPaths(in: argument) }
        case .binary(_, let left, let right):
            try checkXPaths(in: left)
            try checkXPaths(in: right)
        case .conditional(let a, let b, let c):
            try checkXPaths(in: a)
            try checkXPaths(in: b)
            try checkXPaths(in: c)
        case .negated(let inner), .not(let inner):
            try checkXPaths(in: inner)
        default:
            break
        }
    }
}

extension SynapseValue {
    /// The value in the form the older expression kinds hand to mediators: text for strings, numbers and
    /// booleans (as `stringValueOf` prints them), JSON for objects and arrays, nodes for XPath results.
    var expressionValue: ExpressionValue {
        switch self {
        case .null: .none
        case .json(let value): .json(value)
        case .xml(let result): .xpath(result)
        case .element(let markup): .property(.xml(markup))
        case .string, .int, .long, .double, .bool: .property(.string(stringValue ?? ""))
        }
    }
}
