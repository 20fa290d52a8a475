public import SluiceModel
internal import SluiceXML

/// `<variable name= (value=|expression=) [type=] [action="remove"]/>`: WSO2 Micro Integrator 4.4's variables,
/// which Synapse Expressions read as `vars.name`. They live for one message and are not transport headers,
/// properties or payload.
public struct VariableMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "variable"

    public var name: String
    /// Nil only with `action == .remove`.
    public var value: ValueSource?
    public var type: VariableType?
    public var action: Action

    public init(name: String, value: ValueSource?, type: VariableType? = nil, action: Action = .set) {
        self.name = name
        self.value = value
        self.type = type
        self.action = action
    }

    public enum Action: String, Sendable, Hashable, CaseIterable {
        case set
        case remove
    }

    /// `type=`: what the value is converted to before it is stored (Synapse's `VARIABLE_DATA_TYPES`).
    public enum VariableType: String, Sendable, Hashable, CaseIterable {
        case string = "STRING"
        case integer = "INTEGER"
        case boolean = "BOOLEAN"
        case double = "DOUBLE"
        case long = "LONG"
        case xml = "XML"
        case json = "JSON"
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> VariableMediator? {
        reader.ignoreText(in: element)
        for child in element.childElements { reader.ignoreUnknown(child, in: element) }
        let name = reader.required("name", of: element)
        // VariableMediatorFactory: only action="remove" removes; any other action sets.
        let action: Action = element.attribute("action") == "remove" ? .remove : .set
        let type = reader.enumeration("type", of: element, as: VariableType.self)
        var value: ValueSource?
        switch reader.valueSource(of: element, optional: action == .remove, owner: "<variable> '\(name ?? "")'") {
        case .value(let read): value = read
        case .absent: value = nil
        case .invalid: return nil
        }
        guard let name, type != nil || element.attribute("type") == nil else { return nil }
        return VariableMediator(name: name, value: value, type: type, action: action)
    }

    /// Omits `action="set"`.
    func write(to writer: XMLWriter) {
        let (value, expression) = XMLWriter.valueAttributes(value)
        writer.element(
            "variable",
            [
                "name": name,
                "value": value,
                "expression": expression,
                "type": type?.rawValue,
                "action": action == .set ? nil : action.rawValue,
            ],
            namespaces: XMLWriter.namespaces(of: self.value)
        )
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledVariableMediator(self, location: compilation.location)
    }
}

extension MediatorNode {
    /// A `<variable>` node.
    public static func variable(_ mediator: VariableMediator) -> MediatorNode { MediatorNode(mediator) }
}
