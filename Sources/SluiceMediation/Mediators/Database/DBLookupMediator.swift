public import SluiceModel
internal import SluiceXML

/// `<dblookup><connection><pool>…</pool></connection><statement><sql>…</sql><parameter …/><result name= column=/>
/// </statement>…</dblookup>`: runs each query with its parameters bound and sets the `<result>` columns of the
/// first row it returns as message properties (a NULL or a query without rows sets nothing).
///
/// The statements run on the exchange's event loop without blocking it, against PostgreSQL or SQLite (see
/// `docs/mediators.md`); another JDBC driver deploys with a warning and faults when a message arrives, as Synapse
/// does without that driver.
public struct DBLookupMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "dblookup"

    public var definition: DatabaseMediatorDefinition

    public init(definition: DatabaseMediatorDefinition) {
        self.definition = definition
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> DBLookupMediator? {
        DatabaseMediatorDefinition.read(element, reader: reader).map(DBLookupMediator.init)
    }

    func write(to writer: XMLWriter) {
        writer.element(Self.elementName) { definition.write(to: writer) }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledDatabaseMediator(definition, kind: .lookup, compilation: &compilation)
    }
}

extension MediatorNode {
    /// A `<dblookup>` node.
    public static func dblookup(_ mediator: DBLookupMediator) -> MediatorNode { MediatorNode(mediator) }
}
