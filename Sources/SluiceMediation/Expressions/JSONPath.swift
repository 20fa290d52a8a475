/// A compiled JSONPath (the subset `json-eval` needs): `$`, `.name`, `['name']`, `[n]` (negative counts from
/// the end), `[*]` / `.*`, `..name` / `..*`, and `[a,b]` unions of names or indices.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of the path.
    public enum Step: Sendable, Hashable {
        case child(String)
        case index(Int)
        case wildcard
        case descendant(String)
        case descendantWildcard
        case union([Step])
    }

    /// The path as written.
    public let source: String
    /// The compiled steps after `$`.
    public let steps: [Step]

    /// Compiles a path.
    /// - Throws: `JSONPathError` for syntax outside the supported subset (filters, slices, scripts).
    public init(_ source: String) throws(JSONPathError) {
        self.source = source
        var text = Substring(source.trimmingWhitespace())
        // SynapseJsonPath drops one trailing '.', so `$.` is the whole payload, as `$`.
        if text.hasSuffix(".") { text = text.dropLast() }
        // Synapse accepts json-eval(.name) and json-eval(name) as relative to the root as well.
        if text.first == "$" {
            text = text.dropFirst()
        } else if let first = text.first, first != "." && first != "[" {
            text = "." + text
        }
        var steps: [Step] = []
        while let first = text.first {
            if text.hasPrefix("..") {
                text = text.dropFirst(2)
                let name = Self.takeName(&text)
                if name == "*" {
                    steps.append(.descendantWildcard)
                } else if !name.isEmpty {
                    steps.append(.descendant(name))
                } else if text.first == "[" {
                    let bracket = try Self.takeBracket(&text, source: source)
                    if case .child(let member) = bracket {
                        steps.append(.descendant(member))
                    } else {
                        steps.append(.descendantWildcard)
                    }
                } else {
                    throw JSONPathError(path: source, reason: "'..' needs a name")
                }
            } else if first == "." {
                text = text.dropFirst()
                let name = Self.takeName(&text)
                guard !name.isEmpty else { throw JSONPathError(path: source, reason: "'.' needs a name") }
                steps.append(name == "*" ? .wildcard : .child(name))
            } else if first == "[" {
                steps.append(try Self.takeBracket(&text, source: source))
            } else {
                throw JSONPathError(path: source, reason: "unexpected '\(first)'")
            }
        }
        self.steps = steps
    }

    public var description: String { source }

    private static func takeName(_ text: inout Substring) -> String {
        let end = text.firstIndex(where: { $0 == "." || $0 == "[" }) ?? text.endIndex
        let name = String(text[..<end])
        text = text[end...]
        return name
    }

    private static func takeBracket(_ text: inout Substring, source: String) throws(JSONPathError) -> Step {
        text = text.dropFirst()
        var parts: [Step] = []
        while true {
            text = text.drop(while: { $0 == " " })
            guard let first = text.first else { throw JSONPathError(path: source, reason: "unclosed '['") }
            if first == "'" || first == "\"" {
                text = text.dropFirst()
                guard let close = text.firstIndex(of: first) else {
                    throw JSONPathError(path: source, reason: "unterminated name")
                }
                parts.append(.child(String(text[..<close])))
                text = text[text.index(after: close)...]
            } else if first == "*" {
                parts.append(.wildcard)
                text = text.dropFirst()
            } else if first == "?" || first == "(" {
                throw JSONPathError(path: source, reason: "filter and script expressions are not supported")
            } else {
                let end = text.firstIndex(where: { $0 == "," || $0 == "]" }) ?? text.endIndex
                let token = text[..<end].trimmingCharacters()
                guard let index = Int(token) else {
                    throw JSONPathError(path: source, reason: "'\(token)' is not an index (slices are not supported)")
                }
                parts.append(.index(index))
                text = text[end...]
            }
            text = text.drop(while: { $0 == " " })
            guard let separator = text.first else { throw JSONPathError(path: source, reason: "unclosed '['") }
            text = text.dropFirst()
            if separator == "]" { break }
            guard separator == "," else { throw JSONPathError(path: source, reason: "expected ',' or ']'") }
        }
        return parts.count == 1 ? parts[0] : .union(parts)
    }

    // MARK: - Evaluation

    /// Every value the path selects, in document order.
    public func select(in root: JSONValue) -> [JSONValue] {
        var current = [root]
        for step in steps {
            var next: [JSONValue] = []
            for value in current { Self.apply(step, to: value, into: &next) }
            current = next
            if current.isEmpty { break }
        }
        return current
    }

    /// The result as `json-eval` gives it: nil when nothing matches, the value for a single match on a definite
    /// path, and an array otherwise.
    public func evaluate(in root: JSONValue) -> JSONValue? {
        let matches = select(in: root)
        if isDefinite { return matches.first }
        return matches.isEmpty ? nil : .array(matches)
    }

    /// True when the path can select at most one value.
    public var isDefinite: Bool {
        steps.allSatisfy {
            switch $0 {
            case .child, .index: true
            default: false
            }
        }
    }

    private static func apply(_ step: Step, to value: JSONValue, into output: inout [JSONValue]) {
        switch step {
        case .child(let name):
            if case .object(let object) = value, let member = object[name] { output.append(member) }
        case .index(let index):
            if case .array(let elements) = value {
                let position = index < 0 ? elements.count + index : index
                if elements.indices.contains(position) { output.append(elements[position]) }
            }
        case .wildcard:
            switch value {
            case .object(let object): output.append(contentsOf: object.keys.compactMap { object[$0] })
            case .array(let elements): output.append(contentsOf: elements)
            default: break
            }
        case .descendant(let name):
            collectDescendants(of: value, named: name, into: &output)
        case .descendantWildcard:
            collectDescendants(of: value, named: nil, into: &output)
        case .union(let steps):
            for inner in steps { apply(inner, to: value, into: &output) }
        }
    }

    private static func collectDescendants(of value: JSONValue, named name: String?, into output: inout [JSONValue]) {
        switch value {
        case .object(let object):
            for key in object.keys {
                guard let member = object[key] else { continue }
                if name == nil || name == key { output.append(member) }
                collectDescendants(of: member, named: name, into: &output)
            }
        case .array(let elements):
            for element in elements {
                if name == nil { output.append(element) }
                collectDescendants(of: element, named: name, into: &output)
            }
        default:
            break
        }
    }
}

/// A JSONPath outside the supported subset.
public struct JSONPathError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path as written.
    public var path: String
    /// What is wrong.
    public var reason: String

    public var description: String { "invalid JSONPath '\(path)': \(reason)" }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let scalars = String(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    func trimmingCharacters() -> String { trimmingWhitespace() }
}
