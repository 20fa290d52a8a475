public import SluiceModel
internal import SluiceXML

/// `<property name= (value=|expression=|<element/>) [scope=] [action=] [type=] [pattern= [group=]]/>`.
public struct PropertyMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "property"

    public var name: String
    /// Nil only with `action == .remove` or an inline `element`.
    public var value: ValueSource?
    /// An XML element written inside `<property>` (Synapse's `setValueElement`): the property's value is that
    /// element (OM), whatever `type` says. `value=` wins over it and it wins over `expression=`, as in Synapse.
    public var element: String?
    public var scope: PropertyScope
    public var action: Action
    public var type: PropertyType?
    /// `pattern` + `group`: a regex applied to the evaluated value.
    public var pattern: String?
    public var group: Int?

    public init(
        name: String,
        value: ValueSource?,
        scope: PropertyScope = .default,
        action: Action = .set,
        type: PropertyType? = nil,
        pattern: String? = nil,
        group: Int? = nil,
        element: String? = nil
    ) {
        self.name = name
        self.value = value
        self.element = element
        self.scope = scope
        self.action = action
        self.type = type
        self.pattern = pattern
        self.group = group
    }

    public enum Action: String, Sendable, Hashable, CaseIterable {
        case set
        case remove
    }

    /// `type=`: how the value is converted before it is stored.
    public enum PropertyType: String, Sendable, Hashable, CaseIterable {
        case string = "STRING"
        case integer = "INTEGER"
        case boolean = "BOOLEAN"
        case double = "DOUBLE"
        case float = "FLOAT"
        case long = "LONG"
        case short = "SHORT"
        case om = "OM"
        case json = "JSON"
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> PropertyMediator? {
        reader.ignoreText(in: element)
        let name = reader.required("name", of: element)
        let action = reader.enumeration("action", of: element, as: Action.self) ?? .set
        let scope = reader.enumeration("scope", of: element, as: PropertyScope.self, caseInsensitive: true)
        let type = reader.enumeration("type", of: element, as: PropertyType.self, caseInsensitive: true)
        var group: Int?
        if let rawGroup = element.attribute("group") {
            group = reader.integer(rawGroup, named: "group", in: element)
        }
        // PropertyMediatorFactory: `value=`, else the first child element, else `expression=`; other children
        // are not read.
        let children = element.childElements
        for extra in children.dropFirst() { reader.ignoreUnknown(extra, in: element) }
        var inline: String?
        var value: ValueSource?
        if let first = children.first, element.attribute("value") == nil {
            inline = XMLFragmentWriter.string(for: first)
        } else {
            if let first = children.first { reader.ignoreUnknown(first, in: element) }
            let optional = action == .remove
            switch reader.valueSource(of: element, optional: optional, owner: "<property> '\(name ?? "")'") {
            case .value(let read): value = read
            case .absent: value = nil
            case .invalid: return nil
            }
        }
        guard let name, action == .remove || value != nil || inline != nil else { return nil }
        return PropertyMediator(
            name: name,
            value: value,
            scope: scope ?? .default,
            action: action,
            type: type,
            pattern: element.attribute("pattern"),
            group: group,
            element: inline
        )
    }

    /// Omits `scope="default"` and `action="set"`.
    func write(to writer: XMLWriter) {
        let (value, expression) = XMLWriter.valueAttributes(value)
        let attributes: KeyValuePairs<String, String?> = [
            "name": name,
            "value": value,
            "expression": element == nil ? expression : nil,
            "scope": scope == .default ? nil : scope.rawValue,
            "action": action == .set ? nil : action.rawValue,
            "type": type?.rawValue,
            "pattern": pattern,
            "group": group.map(String.init),
        ]
        if let element {
            writer.rawElement("property", attributes, raw: element)
        } else {
            writer.element("property", attributes, namespaces: XMLWriter.namespaces(of: self.value))
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledPropertyMediator(self, location: compilation.location)
    }
}

extension MediatorNode {
    /// A `<property>` node.
    public static func property(_ mediator: PropertyMediator) -> MediatorNode { MediatorNode(mediator) }
}
