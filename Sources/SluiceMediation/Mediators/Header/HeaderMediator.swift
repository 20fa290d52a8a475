public import SluiceModel
internal import SluiceXML

/// `<header name= (value=|expression=) [action=set|remove] [scope=default|transport]/>`.
public struct HeaderMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "header"

    public var name: String
    public var value: ValueSource?
    public var action: PropertyMediator.Action
    /// `transport` edits HTTP headers; `default` edits SOAP headers.
    public var scope: Scope

    public init(
        name: String,
        value: ValueSource?,
        action: PropertyMediator.Action = .set,
        scope: Scope = .default
    ) {
        self.name = name
        self.value = value
        self.action = action
        self.scope = scope
    }

    public enum Scope: String, Sendable, Hashable, CaseIterable {
        case `default`
        case transport
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> HeaderMediator? {
        reader.rejectText(in: element)
        reader.rejectChildren(of: element)
        let name = reader.required("name", of: element)
        let action = reader.enumeration("action", of: element, as: PropertyMediator.Action.self) ?? .set
        let scope = reader.enumeration("scope", of: element, as: Scope.self, caseInsensitive: true)
        let value: ValueSource?
        switch reader.valueSource(of: element, optional: action == .remove, owner: "<header> '\(name ?? "")'") {
        case .value(let read): value = read
        case .absent: value = nil
        case .invalid: return nil
        }
        guard let name, action == .remove || value != nil else { return nil }
        return HeaderMediator(name: name, value: value, action: action, scope: scope ?? .default)
    }

    /// Omits `action="set"` and `scope="default"`.
    func write(to writer: XMLWriter) {
        let (value, expression) = XMLWriter.valueAttributes(value)
        writer.element(
            "header",
            [
                "name": name,
                "value": value,
                "expression": expression,
                "action": action == .set ? nil : action.rawValue,
                "scope": scope == .default ? nil : scope.rawValue,
            ],
            namespaces: XMLWriter.namespaces(of: self.value)
        )
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledHeaderMediator(self, location: compilation.location)
    }
}

extension MediatorNode {
    /// A `<header>` node.
    public static func header(_ mediator: HeaderMediator) -> MediatorNode { MediatorNode(mediator) }
}
