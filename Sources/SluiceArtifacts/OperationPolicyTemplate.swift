import Foundation
import SluiceModel
import SluiceSynapse

/// The Synapse definition of an operation policy (WSO2's `.j2` file): Synapse mediators in which `{{ name }}`
/// stands for the value of the policy attribute `name`. Values are XML-escaped as they are substituted, so a
/// parameter can never add elements or attributes of its own. Jinja's statements (`{% ... %}`) and comments
/// (`{# ... #}`) are refused: WSO2's Synapse policies use substitutions only.
public enum OperationPolicyTemplate {
    /// Why a definition cannot be used.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The attribute names the definition substitutes, in order of first use.
    /// - Throws: ``Failure`` for a statement, a comment or an unclosed `{{`.
    public static func variables(in template: String) throws(Failure) -> [String] {
        var names: [String] = []
        for piece in try pieces(of: template) {
            if case .variable(let name) = piece, !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// The policy's mediators with `parameters` substituted, as a `<sequence>` document (what
    /// ``APIOperationPolicy/mediation`` holds); a variable without a value becomes empty, as in Jinja.
    /// - Throws: ``Failure`` when the template or the result is not usable Synapse.
    public static func render(_ template: String, parameters: [String: String]) throws(Failure) -> String {
        var body = ""
        for piece in try pieces(of: template) {
            switch piece {
            case .text(let text): body += text
            case .variable(let name): body += escaped(parameters[name] ?? "")
            }
        }
        let document = "<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"operation-policy\">\(body)</sequence>"
        do {
            let parsed = try SynapseParser().parse(xml: document, fileName: "policy")
            guard parsed.sequences.count == 1, parsed.apis.isEmpty, parsed.endpoints.isEmpty else {
                throw Failure(description: "the definition must hold mediators only")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "the rendered definition is not valid Synapse: \(error)")
        }
        return document
    }

    private enum Piece {
        case text(String)
        case variable(String)
    }

    private static func pieces(of template: String) throws(Failure) -> [Piece] {
        for marker in ["{%", "{#"] where template.contains(marker) {
            throw Failure(description: "Jinja statements and comments (\(marker) ... ) are not supported; use {{ attribute }}")
        }
        var pieces: [Piece] = []
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            pieces.append(.text(String(rest[..<open.lowerBound])))
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw Failure(description: "a {{ is not closed")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw Failure(description: "{{ \(name) }} is not an attribute name (expressions are not supported)")
            }
            pieces.append(.variable(name))
            rest = rest[close.upperBound...]
        }
        pieces.append(.text(String(rest)))
        return pieces
    }

    private static func escaped(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}
