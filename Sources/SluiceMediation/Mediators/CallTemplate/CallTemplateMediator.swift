public import SluiceModel
internal import SluiceXML

/// `<call-template target="name"><with-param name= value="literal | {expression}"/>*</call-template>`: runs a sequence
/// template with its parameters bound to `$func:name` (and `get-property('func', 'name')`), then goes on.
public struct CallTemplateMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "call-template"

    /// The sequence template to run.
    public var target: String
    public var parameters: [Parameter]

    public init(target: String, parameters: [Parameter] = []) {
        self.target = target
        self.parameters = parameters
    }

    /// `<with-param name= value=/>`: `value="{expr}"` is evaluated at the call, `value="{{text}}"` is the literal
    /// `{text}`, anything else is literal text (Synapse's `ValueFactory`).
    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var value: ValueSource

        public init(name: String, value: ValueSource) {
            self.name = name
            self.value = value
        }
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> CallTemplateMediator? {
        reader.rejectText(in: element)
        let target = reader.required("target", of: element)
        var parameters: [Parameter] = []
        var ok = true
        for child in element.childElements {
            guard reader.isSynapse(child, named: "with-param") else {
                reader.reportUnknown(child, in: element)
                ok = false
                continue
            }
            reader.rejectChildren(of: child)
            guard let name = reader.required("name", of: child), let text = reader.required("value", of: child) else {
                ok = false
                continue
            }
            do {
                let namespaces = ArtifactReader.usedNamespaces(in: text, element: child)
                parameters.append(Parameter(name: name, value: try TemplateArgumentText.valueSource(text, namespaces: namespaces)))
            } catch {
                reader.report("\(error) in 'value' of <with-param> '\(name)'", at: child)
                ok = false
            }
        }
        guard ok, let target else { return nil }
        return CallTemplateMediator(target: target, parameters: parameters)
    }

    func write(to writer: XMLWriter) {
        writer.element("call-template", ["target": target]) {
            for parameter in parameters {
                writer.element(
                    "with-param",
                    ["name": parameter.name, "value": TemplateArgumentText.text(parameter.value)],
                    namespaces: XMLWriter.namespaces(of: parameter.value)
                )
            }
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        compilation.referTemplate(target)
        var arguments: [(String, CompiledValue)] = []
        for parameter in parameters {
            arguments.append((parameter.name, try compilation.value(parameter.value)))
        }
        return CompiledCallTemplateMediator(target: target, arguments: arguments)
    }
}

/// `<call-template>` ready to run: evaluates its arguments in the caller's context and enters the template.
struct CompiledCallTemplateMediator: CompiledMediator {
    let target: String
    let arguments: [(name: String, value: CompiledValue)]

    var readsBody: Bool { arguments.contains { $0.value.readsBody } }
    var references: [MediationReference] { [.template(target)] }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        var values: [String: PropertyValue] = [:]
        for argument in arguments {
            if let value = try TemplateArgumentValue.evaluate(argument.value, &context) { values[argument.name] = value }
        }
        return .enterTemplate(target, arguments: values)
    }
}

/// Synapse's `ValueFactory` text forms for template arguments and parameter defaults.
enum TemplateArgumentText {
    /// `{expr}` is an expression, `{{text}}` the literal `{text}`, anything else literal text.
    /// - Throws: `SynapseExpressionError` for a broken expression.
    static func valueSource(_ text: String, namespaces: [String: String]) throws(SynapseExpressionError) -> ValueSource {
        let trimmed = text.trimmingSpaces()
        if trimmed.count > 3, trimmed.hasPrefix("{{"), trimmed.hasSuffix("}}") {
            return .literal(String(trimmed.dropFirst().dropLast()))
        }
        if trimmed.hasPrefix("{"), trimmed.hasSuffix("}"), trimmed.count > 2 {
            return .expression(try SynapseExpression(parsing: String(trimmed.dropFirst().dropLast()), namespaces: namespaces))
        }
        return .literal(text)
    }

    /// The text `valueSource(_:namespaces:)` reads back as `value`.
    static func text(_ value: ValueSource) -> String {
        switch value {
        case .expression(let expression): "{" + expression.source + "}"
        case .literal(let text) where text.hasPrefix("{") && text.hasSuffix("}"): "{" + text + "}"
        case .literal(let text): text
        }
    }
}

extension MediatorNode {
    /// A `<call-template>` node.
    public static func callTemplate(_ mediator: CallTemplateMediator) -> MediatorNode { MediatorNode(mediator) }
}
