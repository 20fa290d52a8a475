import Foundation

/// The binary operators of Synapse Expressions with the rules of Synapse's `BinaryOperationNode`: `+` adds numbers
/// or joins two strings; arithmetic promotes int → long → double, with doubles computed in exact decimals (as
/// Java's BigDecimal does, so `8.95 + 8.99` is `17.94`); `==` compares the values as text; comparisons need
/// ints or doubles; `and`/`or` need booleans. Anything else is an evaluation error (the expression gives null).
enum SynapseOperators {
    static func apply(
        _ operation: SynapseBinaryOperator,
        _ left: SynapseValue,
        _ right: SynapseValue
    ) throws(SynapseEvaluationError) -> SynapseValue {
        switch operation {
        case .equal:
            return .bool(left.stringValue == right.stringValue)
        case .notEqual:
            return .bool(left.stringValue != right.stringValue)
        default:
            break
        }
        if left.isNull || right.isNull {
            throw SynapseEvaluationError("null operand for '\(operation.rawValue)'")
        }
        switch operation {
        case .add:
            if left.isNumeric && right.isNumeric { return try arithmetic(.add, left, right) }
            if case .string(let a) = left, case .string(let b) = right { return .string(a + b) }
            throw SynapseEvaluationError("'+' needs two numbers or two strings")
        case .subtract, .multiply, .divide, .modulo:
            guard left.isNumeric && right.isNumeric else {
                throw SynapseEvaluationError("'\(operation.rawValue)' needs two numbers")
            }
            return try arithmetic(operation, left, right)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            // Synapse compares ints and doubles only (a long, such as now(), is refused).
            guard !left.isLong, !right.isLong, let a = left.doubleValue, let b = right.doubleValue else {
                throw SynapseEvaluationError("comparison between non-numeric values")
            }
            return .bool(compare(operation, a, b))
        case .and, .or:
            guard case .bool(let a) = left, case .bool(let b) = right else {
                throw SynapseEvaluationError("logical operation between non-boolean values")
            }
            return .bool(operation == .and ? a && b : a || b)
        case .equal, .notEqual:
            preconditionFailure("handled above")
        }
    }

    /// A comparison inside a JSON path filter (Jayway's rules): numbers by value, anything else as text.
    static func filterCompare(_ operation: SynapseBinaryOperator, _ left: SynapseValue, _ right: SynapseValue) -> Bool {
        if let a = left.doubleValue, let b = right.doubleValue {
            switch operation {
            case .equal: return a == b
            case .notEqual: return a != b
            default: return compare(operation, a, b)
            }
        }
        guard let a = left.stringValue, let b = right.stringValue else {
            return operation == .notEqual ? left.isNull != right.isNull : (operation == .equal && left == right)
        }
        switch operation {
        case .equal: return a == b
        case .notEqual: return a != b
        case .less: return a < b
        case .lessOrEqual: return a <= b
        case .greater: return a > b
        case .greaterOrEqual: return a >= b
        default: return false
        }
    }

    private static func compare(_ operation: SynapseBinaryOperator, _ a: Double, _ b: Double) -> Bool {
        switch operation {
        case .less: a < b
        case .lessOrEqual: a <= b
        case .greater: a > b
        case .greaterOrEqual: a >= b
        default: false
        }
    }

    // MARK: - Arithmetic

    private static func arithmetic(
        _ operation: SynapseBinaryOperator,
        _ left: SynapseValue,
        _ right: SynapseValue
    ) throws(SynapseEvaluationError) -> SynapseValue {
        if left.isDouble || right.isDouble {
            return try decimalOperation(operation, left.doubleValue ?? 0, right.doubleValue ?? 0)
        }
        guard let a = left.integerValue, let b = right.integerValue else {
            throw SynapseEvaluationError("'\(operation.rawValue)' needs two numbers")
        }
        if left.isLong || right.isLong {
            switch operation {
            case .add: return .long(a &+ b)
            case .subtract: return .long(a &- b)
            case .multiply: return .long(a &* b)
            case .divide:
                guard b != 0 else { throw SynapseEvaluationError("division by zero") }
                return .double(Double(a) / Double(b))
            default:
                guard b != 0 else { throw SynapseEvaluationError("modulo by zero") }
                return .long(a % b)
            }
        }
        // Java ints: + and * overflow into a long, - wraps as Java's int subtraction does.
        switch operation {
        case .add: return .integer(a + b)
        case .subtract: return .int(Int64(Int32(truncatingIfNeeded: a - b)))
        case .multiply: return .integer(a * b)
        case .divide:
            guard b != 0 else { throw SynapseEvaluationError("division by zero") }
            return a % b == 0 ? .int(a / b) : .double(Double(a) / Double(b))
        default:
            guard b != 0 else { throw SynapseEvaluationError("modulo by zero") }
            return .int(a % b)
        }
    }

    /// Double arithmetic as Synapse does it: both sides as `BigDecimal(String.valueOf(d))`, exact, then back to a
    /// double; a division keeps the scale of the left operand, rounding half up.
    private static func decimalOperation(
        _ operation: SynapseBinaryOperator,
        _ a: Double,
        _ b: Double
    ) throws(SynapseEvaluationError) -> SynapseValue {
        let leftText = SynapseValue.javaString(a)
        guard let left = Decimal(string: leftText), let right = Decimal(string: SynapseValue.javaString(b)) else {
            return .double(doubleOperation(operation, a, b))
        }
        var result: Decimal
        switch operation {
        case .add: result = left + right
        case .subtract: result = left - right
        case .multiply: result = left * right
        case .divide:
            guard b != 0 else { throw SynapseEvaluationError("division by zero") }
            var quotient = left / right
            result = Decimal()
            NSDecimalRound(&result, &quotient, scale(of: leftText), .plain)
        default:
            guard b != 0 else { throw SynapseEvaluationError("modulo by zero") }
            var quotient = left / right
            var truncated = Decimal()
            NSDecimalRound(&truncated, &quotient, 0, quotient < 0 ? .up : .down)
            result = left - truncated * right
        }
        return .double(Double(result.description) ?? doubleOperation(operation, a, b))
    }

    private static func doubleOperation(_ operation: SynapseBinaryOperator, _ a: Double, _ b: Double) -> Double {
        switch operation {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        default: a.truncatingRemainder(dividingBy: b)
        }
    }

    /// The scale of `BigDecimal(text)` for Java's double text: fraction digits, less the exponent.
    private static func scale(of text: String) -> Int {
        let parts = text.split(separator: "E")
        let mantissa = parts[0]
        let fractionDigits = mantissa.split(separator: ".").dropFirst().first?.count ?? 0
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        return fractionDigits - exponent
    }
}
