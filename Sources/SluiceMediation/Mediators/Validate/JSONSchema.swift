import SluiceModel

/// A JSON Schema compiled once per deployment, for `<validate>` with a JSON schema from a local entry.
///
/// The draft-04 to draft-07 keywords real artifacts use: `type`, `enum`, `const`, `properties`, `required`,
/// `additionalProperties`, `patternProperties`, `minProperties`/`maxProperties`, `items` (one schema or a tuple),
/// `additionalItems`, `minItems`/`maxItems`, `uniqueItems`, `minimum`/`maximum` with `exclusiveMinimum`/
/// `exclusiveMaximum` (draft-04 booleans and draft-06+ numbers), `multipleOf`, `minLength`/`maxLength`, `pattern`,
/// `allOf`/`anyOf`/`oneOf`/`not`, and `$ref` to a JSON pointer inside the same document (`#/definitions/x`, `#`).
/// `format`, `title`, `description`, `default`, `examples`, `$schema`, `$id` and `id` are annotations; any other
/// keyword is refused at deploy time so a schema never checks less than it says. A `$ref` to another document is
/// refused: Sluice does not fetch schemas.
struct JSONSchema: Sendable {
    /// One compiled (sub)schema; children are indices into `nodes`, so `$ref` cycles are plain indices.
    enum Node: Sendable {
        /// `true` / `{}` accepts everything, `false` nothing.
        case always(Bool)
        case rules(Rules)
        /// A `$ref` (siblings ignored, as drafts 04-07 say) to the node at this index.
        case reference(Int)
    }

    /// The kinds `type` names.
    enum Kind: String, Sendable, CaseIterable {
        case null, boolean, object, array, number, string, integer
    }

    struct Rules: Sendable {
        var types: [Kind]?
        var enumValues: [JSONValue]?
        var constant: JSONValue?
        var properties: [(name: String, node: Int)] = []
        var required: [String] = []
        var additionalProperties: Int?
        var patternProperties: [(pattern: SharedRegex, node: Int)] = []
        var minProperties: Int?
        var maxProperties: Int?
        var items: Int?
        var tupleItems: [Int]?
        var additionalItems: Int?
        var minItems: Int?
        var maxItems: Int?
        var uniqueItems = false
        var minimum: Double?
        var maximum: Double?
        var exclusiveMinimum: Double?
        var exclusiveMaximum: Double?
        var multipleOf: Double?
        var minLength: Int?
        var maxLength: Int?
        var pattern: SharedRegex?
        var allOf: [Int] = []
        var anyOf: [Int] = []
        var oneOf: [Int] = []
        var not: Int?
    }

    let nodes: [Node]

    /// Why a schema cannot be used.
    struct Failure: Error {
        let message: String
    }

    /// Compiles the schema text.
    /// - Throws: `Failure` for text that is not JSON, keywords of the wrong shape, unknown keywords and `$ref`s
    ///   outside the document.
    init(text: String) throws(Failure) {
        let root: JSONValue
        do {
            root = try JSONParser.parse(text)
        } catch {
            throw Failure(message: "the schema is not JSON (\(error))")
        }
        var compiler = JSONSchemaCompiler(root: root)
        _ = try compiler.compile(root, pointer: "")
        nodes = compiler.nodes.map { $0 ?? .always(true) }
    }
}

/// Builds `JSONSchema.nodes`, one node per (sub)schema and per `$ref` target.
private struct JSONSchemaCompiler {
    let root: JSONValue
    var nodes: [JSONSchema.Node?] = []
    /// The node of each JSON pointer compiled so far (or being compiled, for cycles).
    var byPointer: [String: Int] = [:]

    static let annotations: Set<String> = [
        "$schema", "$id", "id", "title", "description", "default", "examples", "format", "definitions", "$comment",
        "readOnly", "writeOnly", "contentMediaType", "contentEncoding",
    ]

    init(root: JSONValue) {
        self.root = root
    }

    mutating func compile(_ schema: JSONValue, pointer: String) throws(JSONSchema.Failure) -> Int {
        if let index = byPointer[pointer] { return index }
        let index = nodes.count
        nodes.append(nil)
        byPointer[pointer] = index
        nodes[index] = try node(schema, pointer: pointer)
        return index
    }

    private mutating func node(_ schema: JSONValue, pointer: String) throws(JSONSchema.Failure) -> JSONSchema.Node {
        switch schema {
        case .bool(let flag): return .always(flag)
        case .object(let object):
            if case .string(let reference)? = object["$ref"] { return .reference(try resolve(reference, at: pointer)) }
            var rules = JSONSchema.Rules()
            for key in object.keys {
                try apply(key, object[key]!, to: &rules, pointer: pointer + "/" + Self.escape(key))
            }
            return .rules(rules)
        default:
            throw JSONSchema.Failure(message: "the schema at '#\(pointer)' is not an object or a boolean")
        }
    }

    private mutating func resolve(_ reference: String, at pointer: String) throws(JSONSchema.Failure) -> Int {
        guard reference.hasPrefix("#") else {
            throw JSONSchema.Failure(
                message: "'$ref': '\(reference)' at '#\(pointer)' points outside the schema; Sluice does not fetch "
                    + "schemas, so put the definitions in the same local entry and refer to them as '#/definitions/...'"
            )
        }
        let target = String(reference.dropFirst()).removingPercentEncodingForPointer()
        var value = root
        for token in target.split(separator: "/", omittingEmptySubsequences: true) {
            let name = String(token).replacing("~1", with: "/").replacing("~0", with: "~")
            switch value {
            case .object(let object) where object[name] != nil: value = object[name]!
            case .array(let elements) where Int(name).map { elements.indices.contains($0) } == true: value = elements[Int(name)!]
            default: throw JSONSchema.Failure(message: "'$ref': '\(reference)' at '#\(pointer)' points to nothing in the schema")
            }
        }
        return try compile(value, pointer: target)
    }

    private mutating func apply(
        _ keyword: String,
        _ value: JSONValue,
        to rules: inout JSONSchema.Rules,
        pointer: String
    ) throws(JSONSchema.Failure) {
        // `pointer` names the keyword's value; messages name the schema holding the keyword.
        let owner = pointer.lastIndex(of: "/").map { String(pointer[..<$0]) } ?? pointer
        func wrong(_ expected: String) -> JSONSchema.Failure {
            JSONSchema.Failure(message: "'\(keyword)' at '#\(owner)' must be \(expected)")
        }
        func count() throws(JSONSchema.Failure) -> Int {
            guard case .number(let text) = value, let number = Int(text), number >= 0 else { throw wrong("a non-negative integer") }
            return number
        }
        func number() throws(JSONSchema.Failure) -> Double {
            guard case .number(let text) = value, let number = Double(text) else { throw wrong("a number") }
            return number
        }
        func schemas() throws(JSONSchema.Failure) -> [Int] {
            guard case .array(let elements) = value, !elements.isEmpty else { throw wrong("a non-empty array of schemas") }
            var indices: [Int] = []
            for (offset, element) in elements.enumerated() {
                indices.append(try compile(element, pointer: pointer + "/\(offset)"))
            }
            return indices
        }
        switch keyword {
        case "type":
            let names: [JSONValue]
            switch value {
            case .string: names = [value]
            case .array(let elements): names = elements
            default: throw wrong("a type name or an array of them")
            }
            var kinds: [JSONSchema.Kind] = []
            for name in names {
                guard case .string(let text) = name, let kind = JSONSchema.Kind(rawValue: text) else {
                    throw wrong("one of " + JSONSchema.Kind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                kinds.append(kind)
            }
            rules.types = kinds
        case "enum":
            guard case .array(let elements) = value else { throw wrong("an array") }
            rules.enumValues = elements
        case "const": rules.constant = value
        case "properties":
            guard case .object(let object) = value else { throw wrong("an object of schemas") }
            for name in object.keys {
                rules.properties.append((name, try compile(object[name]!, pointer: pointer + "/" + Self.escape(name))))
            }
        case "patternProperties":
            guard case .object(let object) = value else { throw wrong("an object of schemas") }
            for source in object.keys {
                rules.patternProperties.append(
                    (try Self.regex(source, pointer: pointer), try compile(object[source]!, pointer: pointer + "/" + Self.escape(source)))
                )
            }
        case "required":
            guard case .array(let elements) = value else { throw wrong("an array of names") }
            for element in elements {
                guard case .string(let name) = element else { throw wrong("an array of names") }
                rules.required.append(name)
            }
        case "additionalProperties": rules.additionalProperties = try compile(value, pointer: pointer)
        case "minProperties": rules.minProperties = try count()
        case "maxProperties": rules.maxProperties = try count()
        case "items":
            if case .array(let elements) = value {
                var indices: [Int] = []
                for (offset, element) in elements.enumerated() {
                    indices.append(try compile(element, pointer: pointer + "/\(offset)"))
                }
                rules.tupleItems = indices
            } else {
                rules.items = try compile(value, pointer: pointer)
            }
        case "additionalItems": rules.additionalItems = try compile(value, pointer: pointer)
        case "minItems": rules.minItems = try count()
        case "maxItems": rules.maxItems = try count()
        case "uniqueItems":
            guard case .bool(let flag) = value else { throw wrong("true or false") }
            rules.uniqueItems = flag
        case "minimum": rules.minimum = try number()
        case "maximum": rules.maximum = try number()
        case "exclusiveMinimum", "exclusiveMaximum":
            // Draft-04 flags the plain bound as exclusive; draft-06 and later give the exclusive bound itself.
            let isMinimum = keyword == "exclusiveMinimum"
            if case .bool(let flag) = value {
                if flag { isMinimum ? (rules.exclusiveMinimum = .nan) : (rules.exclusiveMaximum = .nan) }
            } else {
                let bound = try number()
                isMinimum ? (rules.exclusiveMinimum = bound) : (rules.exclusiveMaximum = bound)
            }
        case "multipleOf":
            let divisor = try number()
            guard divisor > 0 else { throw wrong("a number above 0") }
            rules.multipleOf = divisor
        case "minLength": rules.minLength = try count()
        case "maxLength": rules.maxLength = try count()
        case "pattern":
            guard case .string(let source) = value else { throw wrong("a regular expression") }
            rules.pattern = try Self.regex(source, pointer: pointer)
        case "allOf": rules.allOf = try schemas()
        case "anyOf": rules.anyOf = try schemas()
        case "oneOf": rules.oneOf = try schemas()
        case "not": rules.not = try compile(value, pointer: pointer)
        case _ where Self.annotations.contains(keyword):
            break
        default:
            throw JSONSchema.Failure(message: "keyword '\(keyword)' at '#\(owner)' is not supported")
        }
    }

    private static func regex(_ source: String, pointer: String) throws(JSONSchema.Failure) -> SharedRegex {
        do {
            return try SharedRegex(source, location: nil)
        } catch {
            throw JSONSchema.Failure(message: "the pattern '\(source)' at '#\(pointer)' is not a valid regular expression")
        }
    }

    private static func escape(_ name: String) -> String {
        name.replacing("~", with: "~0").replacing("/", with: "~1")
    }
}

extension String {
    /// A JSON pointer in a URI fragment with its `%XX` escapes decoded (invalid escapes are kept).
    fileprivate func removingPercentEncodingForPointer() -> String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            let high = iterator.next(), low = iterator.next()
            if let high, let low, let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
                if let high { bytes.append(high) }
                if let low { bytes.append(low) }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
