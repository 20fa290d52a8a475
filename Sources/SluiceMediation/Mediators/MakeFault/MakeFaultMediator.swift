public import SluiceModel
internal import SluiceXML

/// `<makefault [version=soap11|soap12|pox] [response=true|false]>`: replaces the message with a SOAP 1.1, SOAP 1.2
/// or POX fault.
///
/// ```xml
/// <makefault version="soap11">
///     <code (value="prefix:name" | expression="..")/>
///     <reason (value=".." | expression="..")/>
///     <node>uri</node>? <role>uri</role>?
///     <detail (expression="..")>text or elements</detail>?
/// </makefault>
/// ```
public struct MakeFaultMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "makefault"

    /// nil: POX for REST messages, else the SOAP version of the message.
    public var version: Version?
    /// `response=`: mark the message as a response; nil when the attribute is absent.
    public var response: Bool?
    /// Required unless the fault is POX.
    public var code: Code?
    /// Required unless the fault is POX.
    public var reason: ValueSource?
    /// `<node>` (SOAP 1.2 only).
    public var node: String?
    /// `<role>` (`faultactor` in SOAP 1.1).
    public var role: String?
    public var detail: Detail?

    public init(
        version: Version? = nil,
        response: Bool? = nil,
        code: Code? = nil,
        reason: ValueSource? = nil,
        node: String? = nil,
        role: String? = nil,
        detail: Detail? = nil
    ) {
        self.version = version
        self.response = response
        self.code = code
        self.reason = reason
        self.node = node
        self.role = role
        self.detail = detail
    }

    public enum Version: String, Sendable, Hashable, CaseIterable {
        case soap11, soap12, pox
    }

    /// The fault code: a QName literal or an expression naming a code in the envelope's namespace.
    public enum Code: Sendable, Hashable {
        /// `value="prefix:name"` with the namespace the prefix stands for.
        case qualifiedName(prefix: String, localName: String, namespace: String)
        /// `expression=`: the code's local name; its namespace is the fault envelope's.
        case expression(SynapseExpression)
    }

    /// The fault detail.
    public enum Detail: Sendable, Hashable {
        /// Text content of `<detail>`.
        case text(String)
        /// `<detail expression=>`: the nodes it selects, or its string value as text.
        case expression(SynapseExpression)
        /// Element children of `<detail>`, serialized as standalone XML.
        case elements(String)
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledMakeFaultMediator(self, compilation: compilation)
    }
}

extension MediatorNode {
    /// A `<makefault>` node.
    public static func makeFault(_ mediator: MakeFaultMediator) -> MediatorNode { MediatorNode(mediator) }
}
