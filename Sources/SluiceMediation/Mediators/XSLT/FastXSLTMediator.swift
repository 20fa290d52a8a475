public import SluiceModel
internal import SluiceXML

/// `<fastXSLT key=/>`: Synapse's streaming XSLT of the whole payload. Sluice buffers payloads anyway, so it is the
/// `xslt` mediator with the default source (the payload's root) and no parameters.
public struct FastXSLTMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "fastXSLT"

    /// The local entry holding the stylesheet.
    public var key: String

    public init(key: String) {
        self.key = key
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> FastXSLTMediator? {
        reader.ignoreText(in: element)
        reader.rejectChildren(of: element)
        return reader.required("key", of: element).map(FastXSLTMediator.init)
    }

    func write(to writer: XMLWriter) {
        writer.element("fastXSLT", ["key": key])
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledXSLTMediator(XSLTMediator(key: key), compilation: &compilation)
    }
}

extension MediatorNode {
    /// A `<fastXSLT>` node.
    public static func fastXSLT(_ mediator: FastXSLTMediator) -> MediatorNode { MediatorNode(mediator) }
}
