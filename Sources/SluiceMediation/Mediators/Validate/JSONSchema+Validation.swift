extension JSONSchema {
    /// At most this many problems are reported for one message.
    static let maximumProblems = 20
    /// Schemas applied inside each other (`$ref`, `allOf`...) deeper than this stop with a problem, so a schema that
    /// refers to itself without descending into the message cannot loop.
    static let maximumDepth = 128

    /// Every way `value` breaks the schema, one line each (`$.path: what is wrong`); empty when it is valid.
    func problems(validating value: JSONValue) -> [String] {
        var problems: [String] = []
        check(value, node: 0, path: "$", depth: 0, into: &problems)
        return problems
    }

    /// True when `value` is valid against the node (problems not kept).
    private func accepts(_ value: JSONValue, node: Int, depth: Int) -> Bool {
        var problems: [String] = []
        check(value, node: node, path: "$", depth: depth, into: &problems)
        return problems.isEmpty
    }

    private func check(_ value: JSONValue, node index: Int, path: String, depth: Int, into problems: inout [String]) {
        guard problems.count < Self.maximumProblems else { return }
        guard depth < Self.maximumDepth else {
            problems.append("\(path): the schema nests deeper than \(Self.maximumDepth) levels here")
            return
        }
        switch nodes[index] {
        case .always(true): return
        case .always(false): problems.append("\(path): no value is allowed here")
        case .reference(let target): check(value, node: target, path: path, depth: depth + 1, into: &problems)
        case .rules(let rules): check(value, rules: rules, path: path, depth: depth + 1, into: &problems)
        }
    }

    private func check(_ value: JSONValue, rules: Rules, path: String, depth: Int, into problems: inout [String]) {
        if let types = rules.types, !types.contains(where: { Self.value(value, is: $0) }) {
            let names = types.map(\.rawValue).joined(separator: " or ")
            problems.append("\(path): \(Self.kindName(of: value)) found, \(names) expected")
            return
        }
        if let values = rules.enumValues, !values.contains(where: { Self.equal($0, value) }) {
            problems.append("\(path): \(Self.shortText(value)) is not one of \(values.map(Self.shortText).joined(separator: ", "))")
        }
        if let constant = rules.constant, !Self.equal(constant, value) {
            problems.append("\(path): \(Self.shortText(value)) is not \(Self.shortText(constant))")
        }
        switch value {
        case .object(let object): checkObject(object, rules: rules, path: path, depth: depth, into: &problems)
        case .array(let elements): checkArray(elements, rules: rules, path: path, depth: depth, into: &problems)
        case .number(let text): checkNumber(Double(text) ?? .nan, text: text, rules: rules, path: path, into: &problems)
        case .string(let text): checkString(text, rules: rules, path: path, into: &problems)
        case .null, .bool: break
        }
        for node in rules.allOf { check(value, node: node, path: path, depth: depth, into: &problems) }
        if !rules.anyOf.isEmpty, !rules.anyOf.contains(where: { accepts(value, node: $0, depth: depth) }) {
            problems.append("\(path): matches none of the schemas of anyOf")
        }
        if !rules.oneOf.isEmpty {
            let matching = rules.oneOf.filter { accepts(value, node: $0, depth: depth) }.count
            if matching != 1 { problems.append("\(path): matches \(matching) of the schemas of oneOf, not exactly one") }
        }
        if let not = rules.not, accepts(value, node: not, depth: depth) {
            problems.append("\(path): matches the schema of not")
        }
    }

    private func checkObject(_ object: JSONObject, rules: Rules, path: String, depth: Int, into problems: inout [String]) {
        for name in rules.required where object[name] == nil {
            problems.append("\(path): required property '\(name)' is missing")
        }
        if let minimum = rules.minProperties, object.count < minimum {
            problems.append("\(path): has \(object.count) properties, fewer than \(minimum)")
        }
        if let maximum = rules.maxProperties, object.count > maximum {
            problems.append("\(path): has \(object.count) properties, more than \(maximum)")
        }
        for name in object.keys {
            let member = object[name]!
            let memberPath = Self.path(path, member: name)
            var matched = false
            for property in rules.properties where property.name == name {
                matched = true
                check(member, node: property.node, path: memberPath, depth: depth, into: &problems)
            }
            for pattern in rules.patternProperties where pattern.pattern.occurs(in: name) {
                matched = true
                check(member, node: pattern.node, path: memberPath, depth: depth, into: &problems)
            }
            if !matched, let additional = rules.additionalProperties {
                if case .always(false) = nodes[additional] {
                    problems.append("\(path): property '\(name)' is not allowed")
                } else {
                    check(member, node: additional, path: memberPath, depth: depth, into: &problems)
                }
            }
        }
    }

    private func checkArray(_ elements: [JSONValue], rules: Rules, path: String, depth: Int, into problems: inout [String]) {
        if let minimum = rules.minItems, elements.count < minimum {
            problems.append("\(path): has \(elements.count) items, fewer than \(minimum)")
        }
        if let maximum = rules.maxItems, elements.count > maximum {
            problems.append("\(path): has \(elements.count) items, more than \(maximum)")
        }
        if rules.uniqueItems {
            for (offset, element) in elements.enumerated()
            where elements[..<offset].contains(where: { Self.equal($0, element) }) {
                problems.append("\(path)[\(offset)]: repeats an earlier item")
            }
        }
        if let tuple = rules.tupleItems {
            for (offset, element) in elements.enumerated() {
                if offset < tuple.count {
                    check(element, node: tuple[offset], path: path + "[\(offset)]", depth: depth, into: &problems)
                } else if let additional = rules.additionalItems {
                    check(element, node: additional, path: path + "[\(offset)]", depth: depth, into: &problems)
                }
            }
        } else if let items = rules.items {
            for (offset, element) in elements.enumerated() {
                check(element, node: items, path: path + "[\(offset)]", depth: depth, into: &problems)
            }
        }
    }

    private func checkNumber(_ number: Double, text: String, rules: Rules, path: String, into problems: inout [String]) {
        let exclusiveMinimumFlag = rules.exclusiveMinimum?.isNaN == true
        let exclusiveMaximumFlag = rules.exclusiveMaximum?.isNaN == true
        if let minimum = rules.minimum {
            if exclusiveMinimumFlag ? !(number > minimum) : number < minimum {
                problems.append("\(path): \(text) is \(exclusiveMinimumFlag ? "not greater than" : "less than the minimum") \(Self.format(minimum))")
            }
        }
        if let maximum = rules.maximum {
            if exclusiveMaximumFlag ? !(number < maximum) : number > maximum {
                problems.append("\(path): \(text) is \(exclusiveMaximumFlag ? "not less than" : "greater than the maximum") \(Self.format(maximum))")
            }
        }
        if let bound = rules.exclusiveMinimum, !bound.isNaN, !(number > bound) {
            problems.append("\(path): \(text) is not greater than \(Self.format(bound))")
        }
        if let bound = rules.exclusiveMaximum, !bound.isNaN, !(number < bound) {
            problems.append("\(path): \(text) is not less than \(Self.format(bound))")
        }
        if let divisor = rules.multipleOf {
            let quotient = number / divisor
            if (quotient - quotient.rounded()).magnitude > 1e-9 * max(1, quotient.magnitude) {
                problems.append("\(path): \(text) is not a multiple of \(Self.format(divisor))")
            }
        }
    }

    private func checkString(_ text: String, rules: Rules, path: String, into problems: inout [String]) {
        // JSON Schema counts characters as code points.
        let length = text.unicodeScalars.count
        if let minimum = rules.minLength, length < minimum {
            problems.append("\(path): is \(length) characters long, shorter than \(minimum)")
        }
        if let maximum = rules.maxLength, length > maximum {
            problems.append("\(path): is \(length) characters long, longer than \(maximum)")
        }
        if let pattern = rules.pattern, !pattern.occurs(in: text) {
            problems.append("\(path): \(Self.shortText(.string(text))) does not match the pattern '\(pattern.source)'")
        }
    }

    // MARK: - Values

    static func value(_ value: JSONValue, is kind: Kind) -> Bool {
        switch (kind, value) {
        case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.number, .number), (.string, .string):
            return true
        case (.integer, .number(let text)):
            guard let number = Double(text) else { return false }
            return number.isFinite && number == number.rounded()
        default:
            return false
        }
    }

    static func kindName(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .object: "object"
        case .array: "array"
        case .number(let text): Self.value(value, is: .integer) && !text.contains(".") ? "integer" : "number"
        case .string: "string"
        }
    }

    /// JSON equality: numbers by value, objects whatever their member order.
    static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.number(let a), .number(let b)): return a == b || (Double(a) != nil && Double(a) == Double(b))
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.keys.allSatisfy { key in b[key].map { equal(a[key]!, $0) } ?? false }
        default: return left == right
        }
    }

    static func shortText(_ value: JSONValue) -> String {
        let text = value.description
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() && number.magnitude < 1e15 ? String(Int64(number)) : String(number)
    }

    static func path(_ parent: String, member name: String) -> String {
        name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !name.isEmpty
            ? parent + "." + name : parent + "['" + name + "']"
    }
}
