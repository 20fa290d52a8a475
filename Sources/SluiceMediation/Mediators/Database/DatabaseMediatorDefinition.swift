import SluiceModel
internal import SluiceXML

/// What `dblookup` and `dbreport` share: the connection and the statements, run in order against it.
public struct DatabaseMediatorDefinition: Sendable, Hashable {
    public var connection: DatabaseConnection
    public var statements: [DatabaseStatement]

    public init(connection: DatabaseConnection, statements: [DatabaseStatement]) {
        self.connection = connection
        self.statements = statements
    }

    static func read(_ element: XMLElementNode, reader: ArtifactReader) -> DatabaseMediatorDefinition? {
        reader.ignoreText(in: element)
        let owner = element.localName
        var connection: DatabaseConnection?
        var statements: [DatabaseStatement] = []
        var ok = true
        for child in element.childElements {
            guard reader.isSynapseChild(child, of: element) else {
                ok = false
                continue
            }
            switch child.localName {
            case "connection":
                guard connection == nil else { continue }  // Synapse reads the first one.
                if let read = DatabaseConnection.read(child, owner: owner, reader: reader) {
                    connection = read
                } else {
                    ok = false
                }
            case "statement":
                if let read = DatabaseStatement.read(child, owner: owner, reader: reader) {
                    statements.append(read)
                } else {
                    ok = false
                }
            default:
                reader.ignoreUnknown(child, in: element)
            }
        }
        if connection == nil && ok {
            reader.report(
                "The DataSource connection information must be specified for using a custom DataSource connection "
                    + "pool or for a JNDI lookup: <\(owner)> needs <connection><pool>",
                at: element
            )
        }
        guard ok, let connection else { return nil }
        return DatabaseMediatorDefinition(connection: connection, statements: statements)
    }

    func write(to writer: XMLWriter) {
        connection.write(to: writer)
        for statement in statements { statement.write(to: writer) }
    }
}
