import SluiceModel

/// A sequence template ready to run: its mediators, and the parameters `call-template` binds to `$func:`.
public struct CompiledTemplate: Sendable {
    /// The template's name (`call-template target=`).
    public let name: String
    /// True when running the template may read the message body.
    public let readsBody: Bool
    let parameters: [Parameter]
    let mediators: [any CompiledMediator]
    /// `onError` of the template's `<sequence>`.
    let onError: String?

    /// One `<parameter>`: its default is a literal, an `{expression}` evaluated at the call, or a `{{path}}`.
    struct Parameter: Sendable {
        let name: String
        let defaultValue: CompiledTemplateArgument?
        let isMandatory: Bool
    }

    /// The values a call binds: the caller's, else the defaults (evaluated now, in the caller's context).
    /// A mandatory parameter without a value is logged and left unbound, as Synapse does.
    func bind(
        _ arguments: [String: FunctionParameter],
        _ context: inout MessageContext
    ) throws(MediationFault) -> [String: FunctionParameter] {
        var bound = arguments
        for parameter in parameters where bound[parameter.name] == nil {
            if let defaultValue = parameter.defaultValue, let value = try defaultValue.evaluate(&context) {
                bound[parameter.name] = value
            } else if parameter.isMandatory {
                context.logger.warning(
                    "template parameter without a value",
                    metadata: ["sluice.template": .string(name), "sluice.template.parameter": .string(parameter.name)]
                )
            }
        }
        return bound
    }
}

/// How a template argument (`with-param value=`, a parameter's default) becomes the value `$func:` reads.
enum TemplateArgumentValue {
    /// Text as a string; a JSON object or array as JSON; selected XML as Synapse's `stringValueOf` reads it, kept
    /// as XML when that is markup (an element holding elements), so `$func:` can hand a structure on.
    static func evaluate(_ value: CompiledValue, _ context: inout MessageContext) throws(MediationFault) -> PropertyValue? {
        switch try value.evaluate(&context) {
        case .none: return nil
        case .property(let property): return property
        case .json(let json): return json.isContainer ? .json(json) : .string(json.textValue)
        case .xpath(let result):
            let text = result.stringValue
            if case .nodes = result, text.hasPrefix("<") { return .xml(text) }
            return .string(text)
        }
    }
}
