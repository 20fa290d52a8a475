import SluiceModel

/// A compiled JSONPath, read with Jayway JSONPath's grammar (which Synapse's `json-eval` uses): `$`, `.name`,
/// `['name']`, `[n]` (negative counts from the end), `[*]` / `.*`, `..name` / `..*`, `[a,b]` unions of names or
/// indices, and `[?(...)]` filters (`JSONPathFilter`). Synapse's `$ctx:name.path`, `$trp:name.path` and
/// `$axis2:name.path` apply the path to the JSON a property holds instead of the payload.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of the path.
    public indirect enum Step: Sendable, Hashable {
        case child(String)
        case index(Int)
        case wildcard
        case descendant(String)
        case descendantWildcard
        case union([Step])
        /// `[?(condition)]`: the elements of an array (or the object itself) for which the condition holds.
        case filter(JSONPathFilter)
    }

    /// The property a `$ctx:`, `$trp:` or `$axis2:` path reads its JSON from.
    public struct PropertyRoot: Sendable, Hashable {
        public var scope: PropertyScope
        public var name: String
    }

    /// The path as written.
    public let source: String
    /// The compiled steps after `$`.
    public let steps: [Step]
    /// Where the document comes from: nil for the message payload.
    public let propertyRoot: PropertyRoot?

    /// Compiles a path.
    /// - Throws: `JSONPathError` for syntax outside the supported subset (slices, scripts, functions).
    public init(_ source: String) throws(JSONPathError) {
        self.source = source
        var text = Substring(source.trimmingWhitespace())
        // SynapseJsonPath drops one trailing '.', so `$.` is the whole payload, as `$`.
        if text.hasSuffix(".") { text = text.dropLast() }
        propertyRoot = Self.takePropertyRoot(&text)
        // Synapse accepts json-eval(.name) and json-eval(name) as relative to the root as well.
        if text.first == "$" {
            text = text.dropFirst()
        } else if let first = text.first, first != "." && first != "[" {
            text = "." + text
        }
        var parser = JSONPathParser(source: source, text: text, inFilter: false)
        steps = try parser.steps()
    }

    /// A path made of steps already read (the `@` and `$` paths inside filters).
    init(source: String, steps: [Step]) {
        self.source = source
        self.steps = steps
        propertyRoot = nil
    }

    public var description: String { source }

    /// SynapseJsonPath's `^(\$ctx|\$trp|\$axis2):([a-zA-Z0-9_-]+)` prefix: the rest is a path from `$`.
    private static func takePropertyRoot(_ text: inout Substring) -> PropertyRoot? {
        let scopes: [(String, PropertyScope)] = [("$ctx:", .default), ("$trp:", .transport), ("$axis2:", .axis2)]
        for (prefix, scope) in scopes where text.hasPrefix(prefix) {
            let rest = text.dropFirst(prefix.count)
            let name = rest.prefix(while: { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
            guard !name.isEmpty else { return nil }
            text = "$" + rest.dropFirst(name.count)
            return PropertyRoot(scope: scope, name: String(name))
        }
        return nil
    }

    // MARK: - Evaluation

    /// Every value the path selects, in document order.
    public func select(in root: JSONValue) -> [JSONValue] {
        select(in: root, root: root)
    }

    /// Every value the path selects from `start`, with `$` in filters standing for `root`.
    func select(in start: JSONValue, root: JSONValue) -> [JSONValue] {
        var current = [start]
        for step in steps {
            var next: [JSONValue] = []
            for value in current { Self.apply(step, to: value, root: root, into: &next) }
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

    private static func apply(_ step: Step, to value: JSONValue, root: JSONValue, into output: inout [JSONValue]) {
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
            for inner in steps { apply(inner, to: value, root: root, into: &output) }
        case .filter(let condition):
            // Jayway tests each element of an array, an object as a whole, and nothing else.
            switch value {
            case .array(let elements):
                for element in elements where condition.holds(for: element, root: root) { output.append(element) }
            case .object:
                if condition.holds(for: value, root: root) { output.append(value) }
            default:
                break
            }
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
