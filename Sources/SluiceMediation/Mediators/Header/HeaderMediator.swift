public import SluiceModel
internal import SluiceXML

/// `<header [name=] (value=|expression=) [type=OM] [action=set|remove] [scope=default|transport]>[embedded XML]`.
///
/// In the default scope a header is a SOAP header: an unprefixed `To`, `From`, `Action`, `FaultTo`, `ReplyTo`,
/// `RelatesTo` (and, as Sluice also accepts, `MessageID`) is the message's WS-Addressing property; a
/// namespace-qualified name is a header block of the SOAP envelope; without a name, the embedded elements are
/// header blocks to add. In the transport scope it is an HTTP header.
public struct HeaderMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "header"

    /// As written (`prefix:local` for a qualified SOAP header); nil for embedded XML headers.
    public var name: String?
    /// The namespace a prefixed SOAP header name's prefix stands for.
    public var namespace: String?
    public var value: ValueSource?
    public var action: PropertyMediator.Action
    /// `transport` edits HTTP headers; `default` edits SOAP headers.
    public var scope: Scope
    /// `type="OM"`: the value is XML, added as the header block's content.
    public var valueType: String?
    /// The embedded header block elements (an implicit header), serialized standalone.
    public var embeddedXML: String?

    public init(
        name: String?,
        value: ValueSource?,
        action: PropertyMediator.Action = .set,
        scope: Scope = .default,
        namespace: String? = nil,
        valueType: String? = nil,
        embeddedXML: String? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.value = value
        self.action = action
        self.scope = scope
        self.valueType = valueType
        self.embeddedXML = embeddedXML
    }

    public enum Scope: String, Sendable, Hashable, CaseIterable {
        case `default`
        case transport
    }

    /// The WS-Addressing names Synapse takes unqualified in the default scope (plus `MessageID`, which Sluice also
    /// accepts).
    static let addressingNames: Set<String> = ["To", "From", "Action", "FaultTo", "ReplyTo", "RelatesTo", "MessageID"]

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledHeaderMediator(self, compilation: compilation)
    }
}

extension MediatorNode {
    /// A `<header>` node.
    public static func header(_ mediator: HeaderMediator) -> MediatorNode { MediatorNode(mediator) }
}
