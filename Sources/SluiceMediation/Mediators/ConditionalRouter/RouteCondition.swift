public import SluiceModel
internal import SluiceXML

/// The `<condition>` of a `conditionalRoute`: Synapse's evaluator language (`and`, `or`, `not`, `equal`, `match`)
/// over an HTTP header, a query parameter, the request URL (or one of its parts), a property or an XPath on the
/// SOAP envelope.
public indirect enum RouteCondition: Sendable, Hashable {
    case and([RouteCondition])
    case or([RouteCondition])
    case not(RouteCondition)
    /// The source's text equals `value`, ignoring case.
    case equal(RouteSource, value: String)
    /// The whole source text matches `regex` (Java `Matcher.matches`).
    case match(RouteSource, regex: String)
}

/// What an `equal` or `match` condition reads: `type=` and `source=`.
public enum RouteSource: Sendable, Hashable {
    /// `type="header"` (the default type): an HTTP header, by name.
    case header(String)
    /// `type="param"`: a query parameter of the request URL, decoded.
    case param(String)
    /// `type="url"`: the request URL, or one part of it (`source="path"`...).
    case url(URLPart?)
    /// `type="property"`: a property of the message (default scope).
    case property(String)
    /// `type="soap"`: an XPath over the SOAP envelope.
    case soap(SynapseExpression)

    /// The parts of a URL a `type="url"` source may name (Java `URI`'s accessors).
    public enum URLPart: String, Sendable, Hashable, CaseIterable {
        case `protocol`, user, host, port, path, query, ref
    }
}

extension RouteCondition {
    /// Reads a `<condition>` element, which holds exactly one evaluator; nil after reporting what is wrong.
    static func readCondition(_ element: XMLElementNode, reader: ArtifactReader) -> RouteCondition? {
        reader.ignoreText(in: element)
        guard let evaluator = element.childElements.first, element.childElements.count == 1 else {
            reader.report("<condition> holds exactly one condition (and, or, not, equal, match)", at: element)
            return nil
        }
        return read(evaluator, reader: reader)
    }

    /// Reads the evaluator element inside `<condition>`. Synapse finds evaluators by local name alone.
    static func read(_ element: XMLElementNode, reader: ArtifactReader) -> RouteCondition? {
        switch element.localName {
        case "and", "or":
            let operands = element.childElements.map { read($0, reader: reader) }
            guard operands.count >= 2 else {
                reader.report("<\(element.localName)> of a route condition needs two or more conditions", at: element)
                return nil
            }
            let conditions = operands.compactMap { $0 }
            guard conditions.count == operands.count else { return nil }
            return element.localName == "and" ? .and(conditions) : .or(conditions)
        case "not":
            guard let operand = element.childElements.first, element.childElements.count == 1 else {
                reader.report("<not> of a route condition needs exactly one condition", at: element)
                return nil
            }
            return read(operand, reader: reader).map(RouteCondition.not)
        case "equal":
            reader.rejectChildren(of: element)
            let source = RouteSource.read(element, reader: reader)
            guard let value = reader.required("value", of: element), let source else { return nil }
            return .equal(source, value: value)
        case "match":
            reader.rejectChildren(of: element)
            let source = RouteSource.read(element, reader: reader)
            guard let regex = reader.required("regex", of: element), let source else { return nil }
            return .match(source, regex: regex)
        default:
            reader.report(
                "unknown route condition <\(element.localName)>: expected and, or, not, equal or match",
                at: element
            )
            return nil
        }
    }

    func write(to writer: XMLWriter) {
        switch self {
        case .and(let operands): writer.element("and") { for operand in operands { operand.write(to: writer) } }
        case .or(let operands): writer.element("or") { for operand in operands { operand.write(to: writer) } }
        case .not(let operand): writer.element("not") { operand.write(to: writer) }
        case .equal(let source, let value): source.write("equal", "value", value, to: writer)
        case .match(let source, let regex): source.write("match", "regex", regex, to: writer)
        }
    }
}

extension RouteSource {
    static func read(_ element: XMLElementNode, reader: ArtifactReader) -> RouteSource? {
        let source = element.attribute("source")
        let type = element.attribute("type") ?? "header"
        if type == "url" {
            guard let source else { return .url(nil) }
            guard let part = URLPart(rawValue: source) else {
                let parts = URLPart.allCases.map(\.rawValue).joined(separator: ", ")
                reader.report("'source' of a url condition must be one of \(parts), not '\(source)'", at: element)
                return nil
            }
            return .url(part)
        }
        guard ["header", "param", "property", "soap"].contains(type) else {
            reader.report("unknown condition type '\(type)': expected header, param, url, property or soap", at: element)
            return nil
        }
        guard let source = reader.required("source", of: element) else { return nil }
        switch type {
        case "param": return .param(source)
        case "property": return .property(source)
        case "soap": return reader.expression(source, attribute: "source", of: element).map(RouteSource.soap)
        default: return .header(source)
        }
    }

    /// Writes the `equal`/`match` element `name` reading this source, with its `value`/`regex` attribute.
    func write(_ name: String, _ attribute: String, _ text: String, to writer: XMLWriter) {
        let (type, source, namespaces): (String, String?, [String: String]) =
            switch self {
            case .header(let name): ("header", name, [:])
            case .param(let name): ("param", name, [:])
            case .url(let part): ("url", part?.rawValue, [:])
            case .property(let name): ("property", name, [:])
            case .soap(let xpath): ("soap", xpath.source, xpath.namespaces)
            }
        writer.element(name, ["type": type, "source": source, attribute: text], namespaces: namespaces)
    }
}
