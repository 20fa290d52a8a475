/// The syntax tree of a Synapse Expression, built once at deploy time and evaluated per message.
indirect enum SynapseExpressionNode: Sendable, Hashable {
    case literal(SynapseValue)
    /// `[a, b, ...]`: a JSON array of the values.
    case array([SynapseExpressionNode])
    case binary(SynapseBinaryOperator, SynapseExpressionNode, SynapseExpressionNode)
    /// `condition ? then : otherwise`.
    case conditional(SynapseExpressionNode, SynapseExpressionNode, SynapseExpressionNode)
    /// `-expression` inside a slice (`[-2:]`).
    case negated(SynapseExpressionNode)
    /// `payload` or `$`, then a JSON path over the message's payload.
    case payload([SynapseJSONPathStep])
    /// `vars.name`, `vars["name"]`, then a JSON path over the variable's value.
    case variable(String, [SynapseJSONPathStep])
    /// `headers.name`, `headers["name"]`: a transport header of the current message.
    case header(String)
    /// `props.synapse.name` / `properties.axis2.name`.
    case property(SynapsePropertyScope, String)
    /// `params.queryParams.x`, `params.pathParams.x`, `params.functionParams.x`.
    case parameter(SynapseParameterKind, String)
    /// `configs.name`.
    case config(String)
    /// A predefined function, with a JSON path over its result when one follows (`object(vars.x).a`).
    case function(SynapseFunction, [SynapseExpressionNode], path: [SynapseJSONPathStep])
    /// `@` followed by a path inside a JSON path filter: the element being tested.
    case current([SynapseJSONPathStep])
    /// `!expression` inside a JSON path filter.
    case not(SynapseExpressionNode)
}

/// The binary operators, by the precedence levels of Synapse's grammar: comparison binds loosest, then the
/// logical operators (right-associative, one level), then `+ -`, then `* / %`.
enum SynapseBinaryOperator: String, Sendable, Hashable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and, or
}

enum SynapsePropertyScope: String, Sendable, Hashable {
    case synapse, axis2
}

enum SynapseParameterKind: String, Sendable, Hashable {
    case queryParams, pathParams, functionParams
}

/// One step of a JSON path after `payload`, a variable or a function result.
indirect enum SynapseJSONPathStep: Sendable, Hashable {
    /// `.name` or `["name"]`.
    case member(String)
    /// `.*` or `[*]`.
    case wildcard
    /// `..name`.
    case descendant(String)
    /// `..*`.
    case descendantWildcard
    /// `[expression]`: an index when it evaluates to a number, a member when to a string.
    case index(SynapseExpressionNode)
    /// `[a, b]`.
    case union([SynapseExpressionNode])
    /// `[start:end]` (either may be absent; `step` is ignored by Jayway's JSONPath too).
    case slice(SynapseExpressionNode?, SynapseExpressionNode?)
    /// `[?(condition)]`.
    case filter(SynapseExpressionNode)
    /// `.length()`, `.size()`, `.min()`, `.max()`, `.avg()`, `.sum()`, `.stddev()`, `.keys()`, `.first()`, `.last()`.
    case function(String)

    /// Whether a path with this step selects a list (Jayway's "indefinite" path) rather than one value.
    var isIndefinite: Bool {
        switch self {
        case .wildcard, .descendant, .descendantWildcard, .union, .slice, .filter: true
        case .member, .index, .function: false
        }
    }
}
