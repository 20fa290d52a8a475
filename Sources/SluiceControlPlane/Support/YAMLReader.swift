import Foundation
import Yams

/// Turns a YAML document (API definitions, OpenAPI documents) into JSON, so `sluice api emit|create` and
/// `PUT /apis/{apiId}/swagger` read YAML with the same decoders as JSON. Parsing is Yams (libyaml); this type only
/// maps its node tree onto JSON values and reports problems with their line.
///
/// Plain scalars follow YAML 1.2's core schema: `null`/`~`, `true`/`false`, integers and floats become JSON values
/// (so quote a version such as `"1.0"`); everything else, timestamps included, stays a string. Aliases are
/// expanded, with a bound on the expanded size so an alias bomb is refused instead of exhausting memory.
package struct YAMLReader {
    /// A problem of the document, with its line (1-based).
    package struct Failure: Error, CustomStringConvertible {
        package var line: Int
        package var message: String
        package var description: String { "line \(line): \(message)" }
    }

    /// The most nodes a document may expand to (aliases counted at every use).
    static let maximumNodes = 200_000

    private var visitedNodes = 0

    /// Whether `bytes` (from `path`) should be read as YAML: a `.yaml`/`.yml` name, or content not starting as JSON.
    package static func looksLikeYAML(_ bytes: [UInt8], path: String) -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return true }
        if lower.hasSuffix(".json") { return false }
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return first != UInt8(ascii: "{") && first != UInt8(ascii: "[")
    }

    /// The JSON form of a YAML document.
    /// - Throws: ``Failure`` naming the line.
    package static func json(fromYAML bytes: [UInt8]) throws(Failure) -> [UInt8] {
        guard let text = String(bytes: bytes, encoding: .utf8) else { throw Failure(line: 1, message: "not UTF-8") }
        let root: Node?
        do {
            var documents = try compose_all(yaml: text).makeIterator()
            root = documents.next()
            if let error = documents.error { throw error }
            if documents.next() != nil { throw Failure(line: 1, message: "only one document is read") }
            if let error = documents.error { throw error }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Self.failure(from: error)
        }
        guard let root else { return Array("{}".utf8) }
        var reader = YAMLReader()
        let value = try reader.value(of: root)
        guard JSONSerialization.isValidJSONObject(value) else {
            throw Failure(line: 1, message: "the document must be a mapping or a sequence")
        }
        do {
            return Array(try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]))
        } catch {
            throw Failure(line: 1, message: "cannot be expressed as JSON")
        }
    }

    private mutating func value(of node: Node) throws(Failure) -> Any {
        visitedNodes += 1
        guard visitedNodes <= Self.maximumNodes else {
            throw Failure(line: node.mark?.line ?? 1, message: "the document expands to more than \(Self.maximumNodes) values")
        }
        switch node {
        case .scalar:
            return Self.scalarValue(node)
        case .sequence(let sequence):
            var items: [Any] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try value(of: item)) }
            return items
        case .mapping(let mapping):
            var object: [String: Any] = [:]
            for (key, item) in mapping {
                guard case .scalar = key, let name = key.string else {
                    throw Failure(line: key.mark?.line ?? 1, message: "keys must be plain text")
                }
                guard object[name] == nil else {
                    throw Failure(line: key.mark?.line ?? 1, message: "duplicate key '\(name)'")
                }
                object[name] = try value(of: item)
            }
            return object
        case .alias(let alias):
            throw Failure(line: alias.mark?.line ?? 1, message: "unresolved alias")
        }
    }

    private static func scalarValue(_ node: Node) -> Any {
        switch Tag.Name(rawValue: node.tag.rawValue) {
        case .null: return NSNull()
        case .bool: return node.bool ?? node.string ?? ""
        case .int: return node.int ?? node.string ?? ""
        case .float:
            guard let number = node.float, number.isFinite else { return node.string ?? "" }
            return number
        default: return node.string ?? ""
        }
    }

    private static func failure(from error: any Error) -> Failure {
        guard let error = error as? YamlError else { return Failure(line: 1, message: "\(error)") }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return Failure(line: mark.line, message: (context.map { "\($0.text) " } ?? "") + problem)
        case .reader(let problem, _, _, _):
            return Failure(line: 1, message: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return Failure(
                line: context.mark.line, message: "duplicate key \(names) in the mapping that starts on this line"
            )
        default:
            return Failure(line: 1, message: "\(error)")
        }
    }
}
