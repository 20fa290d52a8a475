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

    /// `<with-param name= value=/>`: `value="{expr}"` is evaluated at the call, `value="{{path}}"` hands the
    /// template the path itself, anything else is literal text (Synapse's `ValueFactory`).
    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var value: TemplateArgument

        public init(name: String, value: TemplateArgument) {
            self.name = name
            self.value = value
        }
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> CallTemplateMediator? {
        reader.ignoreText(in: element)
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
                parameters.append(Parameter(name: name, value: try TemplateArgument(text, namespaces: namespaces)))
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
                    ["name": parameter.name, "value": parameter.value.text],
                    namespaces: parameter.value.namespaces
                )
            }
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        compilation.referTemplate(target)
        var arguments: [(String, CompiledTemplateArgument)] = []
        for parameter in parameters {
            arguments.append((parameter.name, try CompiledTemplateArgument(parameter.value, location: compilation.location)))
        }
        return CompiledCallTemplateMediator(target: target, arguments: arguments)
    }
}

/// `<call-template>` ready to run: evaluates its arguments in the caller's context and enters the template.
struct CompiledCallTemplateMediator: CompiledMediator {
    let target: String
    let arguments: [(name: String, value: CompiledTemplateArgument)]

    var readsBody: Bool { arguments.contains { $0.value.readsBody } }
    var references: [MediationReference] { [.template(target)] }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        var values: [String: FunctionParameter] = [:]
        for argument in arguments {
            if let value = try argument.value.evaluate(&context) { values[argument.name] = value }
        }
        return .enterTemplate(target, arguments: values)
    }
}

extension MediatorNode {
    /// A `<call-template>` node.
    public static func callTemplate(_ mediator: CallTemplateMediator) -> MediatorNode { MediatorNode(mediator) }
}
