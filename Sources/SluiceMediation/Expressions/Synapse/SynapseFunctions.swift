import Foundation
import SluiceModel

/// The predefined functions of Synapse Expressions, with the argument rules of Synapse's `PredefinedFunctionNode`:
/// a null argument is an error (except for `exists`, which answers false for what fails), and each function
/// checks the types it takes.
enum SynapseFunctions {
    static func call(
        _ function: SynapseFunction,
        _ arguments: [SynapseExpressionNode],
        _ context: inout MessageContext,
        evaluator: inout SynapseExpressionEvaluator
    ) throws(SynapseEvaluationError) -> SynapseValue {
        if function == .exists {
            // The one function that looks at failures instead of passing them on.
            guard let value = try? evaluator.evaluate(arguments[0], &context) else { return .bool(false) }
            return .bool(!value.isNull)
        }
        if function == .now { return .long(context.clock.millisecondsSinceEpoch()) }
        var values: [SynapseValue] = []
        for argument in arguments {
            let value = try evaluator.evaluate(argument, &context)
            if value.isNull { throw SynapseEvaluationError("null argument for \(function.rawValue)()") }
            values.append(value)
        }
        let source = values[0]
        switch function {
        case .length:
            if case .string(let text) = source { return .int(Int64(text.count)) }
            if let elements = source.arrayValue { return .int(Int64(elements.count)) }
        case .toUpper, .toLower:
            if let text = source.stringValue, !source.isNumeric, source.isString {
                return .string(function == .toUpper ? text.uppercased() : text.lowercased())
            }
        case .trim:
            if case .string(let text) = source { return .string(text.trimmingCharacters(in: .javaTrimmed)) }
        case .subString:
            if case .string(let text) = source, case .int(let start) = values[1] {
                let characters = Array(text)
                let end = values.count == 3 ? values[2].isInteger ? Int(values[2].integerValue ?? -1) : -1 : characters.count
                guard start >= 0, end >= Int(start), end <= characters.count else {
                    throw SynapseEvaluationError("invalid subString indices")
                }
                return .string(String(characters[Int(start)..<end]))
            }
        case .startsWith, .endsWith, .contains:
            if case .string(let text) = source, case .string(let part) = values[1] {
                switch function {
                case .startsWith: return .bool(text.hasPrefix(part))
                case .endsWith: return .bool(text.hasSuffix(part))
                default: return .bool(part.isEmpty || text.contains(part))
                }
            }
        case .replace:
            if case .string(let text) = source, case .string(let target) = values[1],
                case .string(let replacement) = values[2]
            {
                return .string(target.isEmpty ? text : text.replacingOccurrences(of: target, with: replacement))
            }
        case .split:
            if case .string(let text) = source, case .string(let pattern) = values[1] {
                return .json(.array(try split(text, pattern).map(JSONValue.string)))
            }
        case .indexOf:
            if case .string(let text) = source, case .string(let part) = values[1] {
                let from = values.count == 3 ? Int(values[2].integerValue ?? 0) : 0
                return .int(Int64(indexOf(part, in: text, from: from)))
            }
        case .charAt:
            if case .string(let text) = source, case .int(let index) = values[1] {
                let characters = Array(text)
                guard characters.indices.contains(Int(index)) else {
                    throw SynapseEvaluationError("invalid index for charAt")
                }
                return .string(String(characters[Int(index)]))
            }
        case .abs:
            if case .int(let value) = source { return .integer(Swift.abs(value)) }
            if case .double(let value) = source { return .double(Swift.abs(value)) }
        case .ceil, .floor:
            if case .int = source { return source }
            if case .double(let value) = source { return .double(function == .ceil ? value.rounded(.up) : value.rounded(.down)) }
        case .sqrt:
            if !source.isLong, let value = source.doubleValue { return .double(value.squareRoot()) }
        case .log:
            if values.count == 1, !source.isLong, let value = source.doubleValue { return .double(Foundation.log10(value)) }
            if values.count == 2, !source.isLong, !values[1].isLong, let value = source.doubleValue,
                let base = values[1].doubleValue
            {
                return .double(Foundation.log(value) / Foundation.log(base))
            }
        case .pow:
            if !source.isLong, !values[1].isLong, let value = source.doubleValue, let exponent = values[1].doubleValue {
                return .double(Foundation.pow(value, exponent))
            }
        case .round:
            return try round(values)
        case .base64encode:
            if case .string(let text) = source, values.count == 1 || values[1].isString {
                return .string(Base64.encode(Array(text.utf8)))
            }
        case .base64decode:
            if case .string(let text) = source {
                guard let bytes = Base64.decode(text) else { throw SynapseEvaluationError("invalid base64") }
                return .string(String(decoding: bytes, as: UTF8.self))
            }
        case .urlEncode:
            if case .string(let text) = source { return .string(formEncode(text)) }
        case .urlDecode:
            if case .string(let text) = source {
                guard let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw SynapseEvaluationError("invalid URL encoding")
                }
                return .string(decoded)
            }
        case .isString: return .bool(source.isString)
        case .isNumber: return .bool(source.isInteger || source.isDouble)
        case .isArray: return .bool(source.isArray)
        case .isObject: return .bool(source.isObject)
        case .string: return .string(source.stringValue ?? "")
        case .integer:
            if case .int = source { return source }
            if let text = source.stringValue, let value = Int32(text) { return .int(Int64(value)) }
        case .float:
            if case .double = source { return source }
            if let text = source.stringValue, let value = Double(text.trimmingCharacters(in: .whitespaces)) {
                return .double(value)
            }
        case .boolean:
            if case .bool = source { return source }
            return .bool(source.stringValue?.lowercased() == "true")
        case .object:
            if let object = source.objectValue { return .json(.object(object)) }
        case .array:
            if let elements = source.arrayValue { return .json(.array(elements)) }
        case .not:
            if case .bool(let flag) = source { return .bool(!flag) }
        case .xpath:
            return try xpath(values, &context, namespaces: evaluator.namespaces)
        case .registry:
            guard values.count == 1, let key = source.stringValue, let value = context.lookupProperty(scope: .registry, name: key)
            else {
                throw SynapseEvaluationError("registry resource not found")
            }
            return .string(value.stringValue)
        case .formatDateTime:
            return try formatDateTime(values)
        case .wso2Vault, .hashicorpVault:
            throw SynapseEvaluationError("secure vault lookups are not available in Sluice")
        case .exists, .now:
            break
        }
        throw SynapseEvaluationError("invalid argument for \(function.rawValue)()")
    }

    /// `.length()`, `.size()`, `.min()`... at the end of a JSON path.
    static func pathFunction(_ name: String, _ input: JSONValue) throws(SynapseEvaluationError) -> SynapseValue {
        switch (name, input) {
        case ("length", .array(let elements)), ("size", .array(let elements)):
            return .int(Int64(elements.count))
        case ("length", .string(let text)), ("size", .string(let text)):
            return .int(Int64(text.count))
        case ("length", .object(let object)), ("size", .object(let object)):
            return .int(Int64(object.count))
        case ("keys", .object(let object)):
            return .json(.array(object.keys.map(JSONValue.string)))
        case ("first", .array(let elements)):
            guard let first = elements.first else { throw SynapseEvaluationError("first() of an empty array") }
            return SynapseValue(json: first)
        case ("last", .array(let elements)):
            guard let last = elements.last else { throw SynapseEvaluationError("last() of an empty array") }
            return SynapseValue(json: last)
        case (_, .array(let elements)):
            let numbers = elements.compactMap { element -> Double? in
                if case .number(let text) = element { return Double(text) }
                return nil
            }
            guard !numbers.isEmpty else { throw SynapseEvaluationError("\(name)() of an array without numbers") }
            switch name {
            case "min": return .double(numbers.min() ?? 0)
            case "max": return .double(numbers.max() ?? 0)
            case "sum": return .double(numbers.reduce(0, +))
            case "avg": return .double(numbers.reduce(0, +) / Double(numbers.count))
            case "stddev":
                let mean = numbers.reduce(0, +) / Double(numbers.count)
                let variance = numbers.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(numbers.count)
                return .double(variance.squareRoot())
            default: break
            }
        default:
            break
        }
        throw SynapseEvaluationError("\(name)() does not apply here")
    }

    // MARK: - Helpers

    private static func round(_ values: [SynapseValue]) throws(SynapseEvaluationError) -> SynapseValue {
        let source = values[0]
        if values.count == 1 {
            if case .double(let value) = source { return .int(Int64(Int32(clamping: Int64((value + 0.5).rounded(.down))))) }
            if case .int = source { return source }
        } else if case .double(let value) = source, case .int(let places) = values[1], places > 0 {
            var input = Decimal(string: SynapseValue.javaString(value)) ?? Decimal(value)
            var rounded = Decimal()
            NSDecimalRound(&rounded, &input, Int(places), .plain)
            return .double(Double(rounded.description) ?? value)
        } else if source.isInteger || source.isLong {
            return source
        }
        throw SynapseEvaluationError("invalid argument for round()")
    }

    /// Java's `String.split(regex)`: trailing empty strings dropped.
    private static func split(_ text: String, _ pattern: String) throws(SynapseEvaluationError) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else {
            throw SynapseEvaluationError("invalid split pattern")
        }
        let range = NSRange(text.startIndex..., in: text)
        var parts: [String] = []
        var start = text.startIndex
        for match in regex.matches(in: text, range: range) {
            guard let matched = Range(match.range, in: text) else { continue }
            // A zero-width match at the start gives no leading empty string, as in Java 8+.
            if matched.isEmpty && matched.lowerBound == text.startIndex { continue }
            parts.append(String(text[start..<matched.lowerBound]))
            start = matched.upperBound
        }
        parts.append(String(text[start...]))
        while parts.count > 1, parts.last?.isEmpty == true { parts.removeLast() }
        return parts
    }

    private static func indexOf(_ part: String, in text: String, from: Int) -> Int {
        let characters = Array(text)
        let needle = Array(part)
        let start = Swift.max(0, from)
        guard needle.count <= characters.count else { return -1 }
        var index = start
        while index + needle.count <= characters.count {
            if characters[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return -1
    }

    /// `URLEncoder.encode(text, "UTF-8")` with `+` as `%20` and `*` as `%2A`, as Synapse's urlEncode gives it.
    private static func formEncode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }

    private static func xpath(
        _ values: [SynapseValue],
        _ context: inout MessageContext,
        namespaces: [String: String]
    ) throws(SynapseEvaluationError) -> SynapseValue {
        guard let expression = values[0].stringValue else { throw SynapseEvaluationError("empty XPath") }
        do {
            if values.count == 2 {
                // xpath('/a/b', 'name'): the XPath over the XML variable `name` (Synapse's `$var:name/a/b`).
                guard let name = values[1].stringValue, case .element(let markup)? = context.variables[name] else {
                    throw SynapseEvaluationError("xpath() needs an XML variable")
                }
                let relative = expression.hasPrefix("/") ? "$body/*[1]" + expression : "$body/*[1]/" + expression
                return .xml(try XPathEngine.evaluate(relative, namespaces: namespaces, payload: markup, context: context))
            }
            let touchesPayload = XPathEngine.touchesPayload(expression)
            let payload = touchesPayload ? try context.xmlPayload(for: "expression") : nil
            return .xml(
                try XPathEngine.evaluate(
                    expression,
                    namespaces: namespaces,
                    payload: payload,
                    context: context,
                    needsDocument: touchesPayload
                )
            )
        } catch let error as SynapseEvaluationError {
            throw error
        } catch {
            throw SynapseEvaluationError("the XPath '\(expression)' failed")
        }
    }

    private static func formatDateTime(_ values: [SynapseValue]) throws(SynapseEvaluationError) -> SynapseValue {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        if values.count == 2 {
            // formatDateTime(now(), "yyyy-MM-dd"): epoch milliseconds in the given pattern, server time zone.
            guard let milliseconds = values[0].integerValue, let pattern = values[1].stringValue, values[1].isString
            else {
                throw SynapseEvaluationError("invalid argument for formatDateTime()")
            }
            formatter.dateFormat = pattern
            return .string(formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000)))
        }
        guard case .string(let text) = values[0], case .string(let from) = values[1], case .string(let to) = values[2]
        else {
            throw SynapseEvaluationError("invalid argument for formatDateTime()")
        }
        formatter.dateFormat = from
        guard let date = formatter.date(from: text) else {
            throw SynapseEvaluationError("'\(text)' does not match the pattern '\(from)'")
        }
        formatter.dateFormat = to
        return .string(formatter.string(from: date))
    }
}

extension CharacterSet {
    /// What Java's `String.trim` removes: every character up to U+0020.
    fileprivate static let javaTrimmed = CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(0x20))
}
