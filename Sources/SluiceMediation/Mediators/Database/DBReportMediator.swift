public import SluiceModel
internal import SluiceXML

/// `<dbreport [useTransaction="true"]><connection>…</connection><statement>…</statement>…</dbreport>`: runs each
/// statement (an insert, update or delete) with its parameters bound and sets `DBREPORT_MODIFIED_RAW_COUNT` to the
/// rows it changed. With `useTransaction` the statements run in one transaction: all of them or none.
public struct DBReportMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "dbreport"

    public var definition: DatabaseMediatorDefinition
    /// Whether the statements run in one transaction; nil when the attribute is absent (false).
    public var useTransaction: Bool?

    public init(definition: DatabaseMediatorDefinition, useTransaction: Bool? = nil) {
        self.definition = definition
        self.useTransaction = useTransaction
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> DBReportMediator? {
        var useTransaction: Bool?
        if element.attribute("useTransaction") != nil {
            useTransaction = reader.flag("useTransaction", of: element, default: false)
        }
        return DatabaseMediatorDefinition.read(element, reader: reader).map {
            DBReportMediator(definition: $0, useTransaction: useTransaction)
        }
    }

    func write(to writer: XMLWriter) {
        writer.element(Self.elementName, ["useTransaction": useTransaction.map { $0 ? "true" : "false" }]) {
            definition.write(to: writer)
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledDatabaseMediator(
            definition,
            kind: .report(useTransaction: useTransaction ?? false),
            compilation: &compilation
        )
    }
}

extension MediatorNode {
    /// A `<dbreport>` node.
    public static func dbreport(_ mediator: DBReportMediator) -> MediatorNode { MediatorNode(mediator) }
}
