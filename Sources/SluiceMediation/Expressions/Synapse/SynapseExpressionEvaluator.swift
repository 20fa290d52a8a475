import Foundation
import SluiceModel

/// Why a Synapse Expression gave no value. Synapse logs it and the expression evaluates to null (empty text);
/// only `exists(...)` looks at it, answering false.
struct SynapseEvaluationError: Error, Sendable {
    let reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}

/// Evaluates a Synapse Expression's tree over a message, with the type rules of Synapse's expression nodes.
struct SynapseExpressionEvaluator {
    /// Namespace prefixes in scope where the expression was written, for `xpath(...)`.
    let namespaces: [String: String]
    /// The payload read as JSON once per evaluation (`payload.a + payload.b` reads it once, as Synapse does).
    private var payloadJSON: JSONValue?

    init(namespaces: [String: String]) {
        self.namespaces = namespaces
    }

    mutating func evaluate(
        _ node: SynapseExpressionNode,
        _ context: inout MessageContext,
        element: JSONValue? = nil
    ) throws(SynapseEvaluationError) -> SynapseValue {
        switch node {
        case .literal(let value):
            return value
        case .array(let elements):
            var values: [JSONValue] = []
            for element in elements { values.append(try evaluate(element, &context).jsonValue) }
            return .json(.array(values))
        case .binary(let operation, let left, let right):
            let leftValue = try evaluate(left, &context, element: element)
            let rightValue = try evaluate(right, &context, element: element)
            return try SynapseOperators.apply(operation, leftValue, rightValue)
        case .conditional(let condition, let then, let otherwise):
            guard case .bool(let flag) = try evaluate(condition, &context) else {
                throw SynapseEvaluationError("the condition of a conditional expression is not a boolean")
            }
            return try evaluate(flag ? then : otherwise, &context)
        case .negated(let inner):
            switch try evaluate(inner, &context) {
            case .int(let value): return .integer(-value)
            case .double(let value): return .double(-value)
            default: throw SynapseEvaluationError("cannot negate a non-numeric value")
            }
        case .not(let inner):
            guard case .bool(let flag) = try evaluate(inner, &context, element: element) else {
                throw SynapseEvaluationError("'!' needs a boolean")
            }
            return .bool(!flag)
        case .payload(let steps):
            return try select(steps, in: try payload(&context), &context)
        case .variable(let name, let steps):
            guard let value = context.variables[name] else {
                throw SynapseEvaluationError("variable \(name) is not defined")
            }
            guard !steps.isEmpty else { return value }
            if case .element = value {
                throw SynapseEvaluationError("cannot apply a JSON path to the XML variable \(name)")
            }
            return try select(steps, in: try Self.json(of: value), &context)
        case .header(let name):
            guard let value = context.headers.first(name: name) else {
                throw SynapseEvaluationError("there is no header \(name)")
            }
            return .parsingNumber(value)
        case .property(let scope, let name):
            let value = context.lookupProperty(scope: scope == .synapse ? .default : .axis2, name: name)
            guard let value else { throw SynapseEvaluationError("there is no property \(name)") }
            return .parsingNumber(value.stringValue)
        case .parameter(let kind, let name):
            return try parameter(kind, name, &context)
        case .config(let name):
            // Micro Integrator reads configs from deployment.toml or the environment; Sluice has only the latter.
            guard let value = getenv(name) else { throw SynapseEvaluationError("config \(name) is not defined") }
            return .parsingNumber(String(cString: value))
        case .function(let function, let arguments, let steps):
            let result = try SynapseFunctions.call(function, arguments, &context, evaluator: &self)
            guard !steps.isEmpty else { return result }
            return try select(steps, in: try Self.json(of: result), &context)
        case .current(let steps):
            guard let element else { throw SynapseEvaluationError("'@' outside a JSON path filter") }
            return try select(steps, in: element, &context)
        }
    }

    // MARK: - Sources

    private mutating func payload(_ context: inout MessageContext) throws(SynapseEvaluationError) -> JSONValue {
        if let payloadJSON { return payloadJSON }
        let json: JSONValue?
        do {
            if let parsed = try context.jsonBody(for: "expression") {
                json = parsed
            } else if let xml = try context.xmlPayload(for: "expression") {
                // A non-JSON payload is read through Synapse's XML-to-JSON conversion, as its `$.` JSON path does.
                json = try XMLJSONConverter.json(for: xml)
            } else {
                json = nil
            }
        } catch {
            throw SynapseEvaluationError("cannot read the payload: \(error.message)")
        }
        guard let json else { throw SynapseEvaluationError("payload is empty") }
        payloadJSON = json
        return json
    }

    private mutating func parameter(
        _ kind: SynapseParameterKind,
        _ name: String,
        _ context: inout MessageContext
    ) throws(SynapseEvaluationError) -> SynapseValue {
        let value: String?
        switch kind {
        case .queryParams:
            value = context.lookupProperty(scope: .default, name: "query.param." + name)?.stringValue
                ?? context.queryParameter(name)
        case .pathParams: value = context.lookupProperty(scope: .default, name: "uri.var." + name)?.stringValue
        case .functionParams:
            if let path = context.templatePath(named: name) {
                value = try? path.string(&context)
            } else {
                value = context.lookupProperty(scope: .function, name: name)?.stringValue
            }
        }
        guard let value else { throw SynapseEvaluationError("there is no \(kind.rawValue) \(name)") }
        return .parsingNumber(value)
    }

    /// A value a JSON path can walk: JSON, or text holding JSON.
    static func json(of value: SynapseValue) throws(SynapseEvaluationError) -> JSONValue {
        switch value {
        case .json(let json): return json
        case .string(let text):
            guard let json = try? JSONParser.parse(text) else {
                throw SynapseEvaluationError("cannot apply a JSON path to a value that is not JSON")
            }
            return json
        case .null: throw SynapseEvaluationError("cannot apply a JSON path to null")
        default: return value.jsonValue
        }
    }

    // MARK: - JSON paths (Jayway's semantics)

    /// Walks `steps` from `root`: a definite path gives its one value and fails when it is missing (Jayway's
    /// PathNotFoundException); an indefinite one (wildcards, descendants, filters, slices, unions) gives the
    /// list of matches, empty when nothing matched.
    mutating func select(
        _ steps: [SynapseJSONPathStep],
        in root: JSONValue,
        _ context: inout MessageContext
    ) throws(SynapseEvaluationError) -> SynapseValue {
        var current: [JSONValue] = [root]
        var indefinite = false
        for step in steps {
            if case .function(let name) = step {
                let input: JSONValue = indefinite ? .array(current) : current.first ?? .null
                return try SynapseFunctions.pathFunction(name, input)
            }
            indefinite = indefinite || step.isIndefinite
            var next: [JSONValue] = []
            for value in current { try apply(step, to: value, into: &next, &context) }
            if !indefinite && next.isEmpty {
                throw SynapseEvaluationError("no results for the path")
            }
            current = next
        }
        return indefinite ? .json(.array(current)) : SynapseValue(json: current.first ?? .null)
    }

    private mutating func apply(
        _ step: SynapseJSONPathStep,
        to value: JSONValue,
        into output: inout [JSONValue],
        _ context: inout MessageContext
    ) throws(SynapseEvaluationError) {
        switch step {
        case .member(let name):
            if let member = value[name] { output.append(member) }
        case .wildcard:
            output.append(contentsOf: Self.children(of: value))
        case .descendant(let name):
            Self.collect(in: value, named: name, into: &output)
        case .descendantWildcard:
            Self.collect(in: value, named: nil, into: &output)
        case .index(let node):
            try select(index: try evaluate(node, &context), in: value, into: &output)
        case .union(let nodes):
            for node in nodes { try select(index: try evaluate(node, &context), in: value, into: &output) }
        case .slice(let startNode, let endNode):
            guard case .array(let elements) = value else { return }
            let count = elements.count
            func bound(_ node: SynapseExpressionNode?, _ fallback: Int, _ evaluator: inout Self) throws(SynapseEvaluationError) -> Int {
                guard let node else { return fallback }
                guard let number = try evaluator.evaluate(node, &context).integerValue else {
                    throw SynapseEvaluationError("a slice bound is not a number")
                }
                let index = Int(number)
                return Swift.max(0, Swift.min(count, index < 0 ? count + index : index))
            }
            let start = try bound(startNode, 0, &self)
            let end = try bound(endNode, count, &self)
            if start < end { output.append(contentsOf: elements[start..<end]) }
        case .filter(let condition):
            let candidates: [JSONValue]
            if case .array(let elements) = value { candidates = elements } else { candidates = [value] }
            for candidate in candidates where filterHolds(condition, on: candidate, &context) {
                output.append(candidate)
            }
        case .function:
            break
        }
    }

    private func select(
        index: SynapseValue,
        in value: JSONValue,
        into output: inout [JSONValue]
    ) throws(SynapseEvaluationError) {
        switch index {
        case .int(let number), .long(let number):
            guard case .array(let elements) = value else { return }
            let position = number < 0 ? elements.count + Int(number) : Int(number)
            if elements.indices.contains(position) { output.append(elements[position]) }
        case .string(let name):
            if let member = value[name] { output.append(member) }
        default:
            throw SynapseEvaluationError("an index is neither a number nor a name")
        }
    }

    private static func children(of value: JSONValue) -> [JSONValue] {
        switch value {
        case .array(let elements): elements
        case .object(let object): object.keys.compactMap { object[$0] }
        default: []
        }
    }

    private static func collect(in value: JSONValue, named name: String?, into output: inout [JSONValue]) {
        switch value {
        case .object(let object):
            for key in object.keys {
                guard let member = object[key] else { continue }
                if name == nil || name == key { output.append(member) }
                collect(in: member, named: name, into: &output)
            }
        case .array(let elements):
            for element in elements {
                if name == nil { output.append(element) }
                collect(in: element, named: name, into: &output)
            }
        default:
            break
        }
    }

    // MARK: - Filters

    /// Whether a filter condition holds for one candidate; a missing member makes a comparison false, as in
    /// Jayway's JSONPath.
    private mutating func filterHolds(
        _ condition: SynapseExpressionNode,
        on candidate: JSONValue,
        _ context: inout MessageContext
    ) -> Bool {
        switch condition {
        case .binary(.and, let left, let right):
            return filterHolds(left, on: candidate, &context) && filterHolds(right, on: candidate, &context)
        case .binary(.or, let left, let right):
            return filterHolds(left, on: candidate, &context) || filterHolds(right, on: candidate, &context)
        case .not(let inner):
            return !filterHolds(inner, on: candidate, &context)
        case .binary(let comparison, let left, let right):
            guard let leftValue = try? evaluate(left, &context, element: candidate),
                let rightValue = try? evaluate(right, &context, element: candidate)
            else { return false }
            return SynapseOperators.filterCompare(comparison, leftValue, rightValue)
        default:
            guard let value = try? evaluate(condition, &context, element: candidate) else { return false }
            if case .bool(let flag) = value { return flag }
            return true
        }
    }
}
