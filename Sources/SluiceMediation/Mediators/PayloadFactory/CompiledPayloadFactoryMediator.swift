internal import SluiceXML
import SluiceModel

/// `<payloadFactory>` ready to run: fills `$1..$n` in the format with the arguments and makes the result the
/// body, with the matching content type.
///
/// Arguments are rendered as Synapse's `TemplateProcessor` renders them (see `jsonText` and `xmlText`). For a SOAP
/// message an XML payload is wrapped in an envelope of the message's SOAP version unless the format is an
/// envelope itself.
struct CompiledPayloadFactoryMediator: CompiledMediator {
    let mediaType: PayloadFactoryMediator.MediaType
    /// The format split at placeholders: literal text and 0-based argument indices.
    let segments: [Segment]
    let arguments: [(value: CompiledValue, literal: Bool, isValue: Bool)]
    let formatIsEnvelope: Bool

    enum Segment: Sendable {
        case text(String)
        case argument(Int)
        /// WSO2 MI 4.4's inline `${...}` (`quoted`: written `"${...}"`, a JSON string in the format).
        case expression(CompiledSynapseExpression, quoted: Bool)
    }

    /// - Parameter node: A mediator whose format is inline (a `<format key=>` is resolved by its `compile`).
    init(_ node: PayloadFactoryMediator, location: SourceLocation?) throws(MediationCompileError) {
        mediaType = node.mediaType
        var arguments: [(value: CompiledValue, literal: Bool, isValue: Bool)] = []
        for argument in node.arguments {
            let isValue = if case .literal = argument.value { true } else { false }
            arguments.append((try CompiledValue(argument.value, location: location), argument.literal, isValue))
        }
        self.arguments = arguments
        do {
            segments = try Self.split(node.format, argumentCount: arguments.count)
        } catch {
            throw MediationCompileError(.invalidExpression(node.format, reason: error.description), location: location)
        }
        let trimmed = node.format.trimmingWhitespace()
        formatIsEnvelope =
            trimmed.hasPrefix("<") && trimmed.prefix(while: { $0 != ">" && $0 != " " }).hasSuffix(":Envelope")
    }

    /// Splits at `$n` where `n` is 1...argumentCount and at `${...}` (up to the first `}`, as Synapse's
    /// `RegexTemplateProcessor` finds them); other `$` text stays literal.
    private static func split(
        _ format: String,
        argumentCount: Int
    ) throws(InlineExpressionTemplate.PlaceholderError) -> [Segment] {
        var segments: [Segment] = []
        var literal = ""
        var characters = Substring(format)
        while let character = characters.first {
            characters = characters.dropFirst()
            guard character == "$" else {
                literal.append(character)
                continue
            }
            if characters.first == "{", let close = characters.dropFirst().firstIndex(of: "}"),
                characters.index(after: characters.startIndex) < close
            {
                let inner = String(characters[characters.index(after: characters.startIndex)..<close])
                let expression: CompiledSynapseExpression
                do {
                    expression = try CompiledSynapseExpression(inner)
                } catch {
                    let offset = format.distance(from: format.startIndex, to: characters.startIndex) - 1
                    throw InlineExpressionTemplate.PlaceholderError(placeholder: inner, error: error, column: offset + 2 + error.column)
                }
                characters = characters[characters.index(after: close)...]
                // `"${...}"`: the quotes belong to the placeholder, which gives a JSON string.
                let quoted = literal.last == "\"" && characters.first == "\""
                if quoted {
                    literal.removeLast()
                    characters = characters.dropFirst()
                }
                if !literal.isEmpty { segments.append(.text(literal)) }
                literal = ""
                segments.append(.expression(expression, quoted: quoted))
                continue
            }
            let digits = characters.prefix(while: { $0.isASCII && $0.isNumber })
            if let number = Int(digits), number >= 1, number <= argumentCount {
                if !literal.isEmpty { segments.append(.text(literal)) }
                literal = ""
                segments.append(.argument(number - 1))
                characters = characters.dropFirst(digits.count)
            } else {
                literal.append(character)
            }
        }
        if !literal.isEmpty { segments.append(.text(literal)) }
        return segments
    }

    var readsBody: Bool {
        arguments.contains { $0.value.readsBody } || segments.contains {
            if case .expression(let expression, _) = $0 { return expression.readsBody }
            return false
        }
    }

    /// An inline `${...}` value as Synapse's `RegexTemplateProcessor` writes it: quoted, the value's text escaped
    /// for the format inside the quotes; unquoted, JSON as JSON (as XML in an XML format), XML text as XML (as JSON
    /// in a JSON format), other text as it is (XML-escaped in an XML format).
    private func inlineText(
        _ expression: CompiledSynapseExpression,
        quoted: Bool,
        _ context: inout MessageContext
    ) throws(MediationFault) -> String {
        func jsonEscaped(_ text: String) -> String { String(JSONValue.quoted(text).dropFirst().dropLast()) }
        // Synapse reads an expression with xpath(...) as text, others as objects.
        let value: SynapseValue =
            expression.source.contains("xpath(") ? .string(expression.string(&context)) : expression.value(&context)
        if case .null = value { return quoted ? "\"\"" : "" }
        if case .json(let json) = value {
            if quoted {
                return "\"" + (mediaType == .xml ? XMLEscaping.escape(json.description) : jsonEscaped(json.description)) + "\""
            }
            return mediaType == .xml ? Self.xmlWithoutWrapper(json) : json.description
        }
        let text = value.stringValue ?? ""
        let isXML = Self.isXML(text.trimmingWhitespace())
        if quoted {
            switch mediaType {
            case .xml: return "\"" + XMLEscaping.escape(text) + "\""
            case .json, .text: return "\"" + jsonEscaped(text) + "\""
            }
        }
        switch mediaType {
        case .json where isXML:
            return try XMLJSONConverter.json(for: "<jsonObject>" + text.trimmingWhitespace() + "</jsonObject>").description
        case .xml where !isXML:
            return XMLEscaping.escape(text)
        default:
            return text
        }
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        var values: [String] = []
        values.reserveCapacity(arguments.count)
        for argument in arguments {
            let value = try argument.value.evaluate(&context)
            switch mediaType {
            case .json: values.append(try jsonText(value, literal: argument.literal))
            case .xml: values.append(xmlText(value, literal: argument.literal))
            case .text: values.append(plainText(value, isValue: argument.isValue))
            }
        }
        var payload = ""
        for segment in segments {
            switch segment {
            case .text(let text): payload += text
            case .argument(let index): payload += values[index]
            case .expression(let expression, let quoted): payload += try inlineText(expression, quoted: quoted, &context)
            }
        }
        switch mediaType {
        case .json:
            context.replaceBody(with: payload, contentType: "application/json")
        case .text:
            context.replaceBody(with: payload, contentType: "text/plain")
        case .xml:
            if let version = context.soapVersion {
                let envelope =
                    formatIsEnvelope
                    ? payload
                    : "<soapenv:Envelope xmlns:soapenv=\"\(version.envelopeNamespace)\"><soapenv:Body>"
                        + payload + "</soapenv:Body></soapenv:Envelope>"
                context.replaceBody(
                    with: envelope,
                    contentType: context.headers.first(name: "Content-Type") ?? version.contentType
                )
            } else {
                context.replaceBody(with: payload, contentType: "application/xml")
            }
        }
        return .proceed
    }

    /// An argument in a JSON format (Synapse's `TemplateProcessor.prepareReplacementValue`): JSON from a JSONPath or
    /// a JSON property goes in as JSON, XML (an XPath selecting elements, XML text) converted to JSON; anything
    /// else, and everything with `literal="true"`, as an escaped JSON string (the format supplies the quotes).
    private func jsonText(_ value: ExpressionValue, literal: Bool) throws(MediationFault) -> String {
        func escaped(_ text: String) -> String { String(JSONValue.quoted(text).dropFirst().dropLast()) }
        switch value {
        case .none:
            return ""
        case .json(let json):
            switch json {
            case .string(let text): return escaped(text)
            case .object, .array: return literal ? escaped(json.description) : json.description
            case .number, .bool, .null: return json.textValue
            }
        case .property(.json(let json)) where !literal:
            return json.description
        case .property, .xpath:
            let text = value.stringValue ?? ""
            let trimmed = text.trimmingWhitespace()
            if literal { return escaped(text) }
            if Self.isXML(trimmed) {
                return try XMLJSONConverter.json(for: "<jsonObject>" + trimmed + "</jsonObject>").description
            }
            // Text that opens as JSON goes in as written, as Synapse inserts it.
            if trimmed.first == "{" || trimmed.first == "[" { return trimmed }
            return escaped(text)
        }
    }

    /// An argument in an XML format (Synapse's `TemplateProcessor.getArgValues`): the text an XPath gives (an
    /// element's own text when it has some, else its markup) goes in as markup when it is well-formed XML and
    /// escaped otherwise; JSON from a JSONPath or property is converted to XML. `literal` changes nothing here,
    /// as in Synapse.
    private func xmlText(_ value: ExpressionValue, literal: Bool) -> String {
        switch value {
        case .none:
            return ""
        case .json(let json):
            switch json {
            case .object, .array: return Self.xmlWithoutWrapper(json)
            default: return XMLEscaping.escape(json.textValue)
            }
        case .property(.xml(let markup)):
            return markup
        case .property, .xpath:
            let text = value.stringValue ?? ""
            let trimmed = text.trimmingWhitespace()
            return Self.isXML(trimmed) ? trimmed : XMLEscaping.escape(text)
        }
    }

    /// An argument in a text format (Synapse's `TemplateProcessor` with media type `text`): the value as text, no
    /// conversion; a `value=` argument is XML-escaped unless it is XML, as Synapse escapes it for every media type.
    private func plainText(_ value: ExpressionValue, isValue: Bool) -> String {
        switch value {
        case .none:
            return ""
        case .json(let json):
            switch json {
            case .object, .array: return json.description
            default: return json.textValue
            }
        case .property(.json(let json)):
            return json.description
        case .property, .xpath:
            let text = value.stringValue ?? ""
            guard isValue, !Self.isXML(text.trimmingWhitespace()) else { return text }
            return XMLEscaping.escape(text)
        }
    }

    /// Synapse's `isXML`: text that starts with `<`, ends with `>`, has at least four characters and parses as XML
    /// (Axiom reads the first element lazily, so a run of sibling elements counts too).
    private static func isXML(_ trimmed: String) -> Bool {
        trimmed.count >= 4 && trimmed.hasPrefix("<") && trimmed.hasSuffix(">")
            && XPathEngine.isWellFormed("<fragment>" + trimmed + "</fragment>")
    }

    /// JSON as Synapse's XML for it, without the `<jsonObject>`/`<jsonArray>` wrapper.
    private static func xmlWithoutWrapper(_ json: JSONValue) -> String {
        let xml = JSONXMLConverter.xml(for: json, multipleMarks: false)
        for wrapper in ["jsonObject", "jsonArray"] where xml.hasPrefix("<\(wrapper)>") && xml.hasSuffix("</\(wrapper)>") {
            return String(xml.dropFirst(wrapper.count + 2).dropLast(wrapper.count + 3))
        }
        return xml
    }
}
