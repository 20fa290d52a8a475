internal import SluiceXML
import SluiceModel

/// `<payloadFactory>` ready to run: fills `$1..$n` in the format with the arguments and makes the result the
/// body, with the matching content type.
///
/// JSON: a JSON object or array argument (from `json-eval`, a JSON property, or text that parses as JSON) is
/// inserted as JSON; strings and other text are inserted JSON-escaped (the format supplies the quotes);
/// `literal="true"` always inserts escaped text. XML: node sets and text that is well-formed XML are inserted
/// as markup, anything else XML-escaped; `literal="true"` always escapes. For a SOAP message an XML payload is
/// wrapped in an envelope of the message's SOAP version unless the format is an envelope itself.
struct CompiledPayloadFactoryMediator: CompiledMediator {
    let mediaType: PayloadFactoryMediator.MediaType
    /// The format split at placeholders: literal text and 0-based argument indices.
    let segments: [Segment]
    let arguments: [(value: CompiledValue, literal: Bool)]
    let formatIsEnvelope: Bool

    enum Segment: Sendable {
        case text(String)
        case argument(Int)
    }

    init(_ node: PayloadFactoryMediator, location: SourceLocation?) throws(MediationCompileError) {
        if let key = node.formatKey {
            throw MediationCompileError(
                .unsupported("payloadFactory format key '\(key)' (registry resources)"),
                location: location
            )
        }
        mediaType = node.mediaType
        var arguments: [(value: CompiledValue, literal: Bool)] = []
        for argument in node.arguments {
            arguments.append((try CompiledValue(argument.value, location: location), argument.literal))
        }
        self.arguments = arguments
        segments = Self.split(node.format, argumentCount: arguments.count)
        let trimmed = node.format.trimmingWhitespace()
        formatIsEnvelope =
            trimmed.hasPrefix("<") && trimmed.prefix(while: { $0 != ">" && $0 != " " }).hasSuffix(":Envelope")
    }

    /// Splits at `$n` where `n` is 1...argumentCount; other `$` text stays literal.
    private static func split(_ format: String, argumentCount: Int) -> [Segment] {
        var segments: [Segment] = []
        var literal = ""
        var characters = Substring(format)
        while let character = characters.first {
            characters = characters.dropFirst()
            guard character == "$" else {
                literal.append(character)
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
        arguments.contains { $0.value.readsBody }
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        var values: [String] = []
        values.reserveCapacity(arguments.count)
        for argument in arguments {
            let value = try argument.value.evaluate(&context)
            values.append(
                mediaType == .json
                    ? jsonText(value, literal: argument.literal) : xmlText(value, literal: argument.literal)
            )
        }
        var payload = ""
        for segment in segments {
            switch segment {
            case .text(let text): payload += text
            case .argument(let index): payload += values[index]
            }
        }
        switch mediaType {
        case .json:
            context.replaceBody(with: payload, contentType: "application/json")
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

    private func jsonText(_ value: ExpressionValue, literal: Bool) -> String {
        func escaped(_ text: String) -> String { String(JSONValue.quoted(text).dropFirst().dropLast()) }
        switch value {
        case .none:
            return ""
        case .json(let json):
            if literal { return escaped(json.textValue) }
            if case .string(let text) = json { return escaped(text) }
            return json.description
        case .property(.json(let json)) where !literal:
            return json.description
        case .property, .xpath:
            let text = value.stringValue ?? ""
            if !literal, let first = text.trimmingWhitespace().first, first == "{" || first == "[",
                let json = try? JSONParser.parse(text)
            {
                return json.description
            }
            return escaped(text)
        }
    }

    private func xmlText(_ value: ExpressionValue, literal: Bool) -> String {
        switch value {
        case .none:
            return ""
        case .xpath(let result):
            return literal ? XMLEscaping.escape(result.stringValue) : result.markup
        case .property(.xml(let markup)) where !literal:
            return markup
        case .property, .json:
            let text = value.stringValue ?? ""
            let trimmed = text.trimmingWhitespace()
            if !literal, trimmed.hasPrefix("<"), trimmed.hasSuffix(">"), XPathEngine.isWellFormed(trimmed) {
                return trimmed
            }
            return XMLEscaping.escape(text)
        }
    }
}
