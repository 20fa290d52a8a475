import SluiceModel
internal import SluiceXML

/// `<connection><pool>…</pool></connection>` of `dblookup`/`dbreport`: a pool of the mediator's own (`<driver>`,
/// `<url>`, `<user>`, `<password>`, pool `<property>`s), or a datasource the node declares (`<dsName>`, with
/// optional JNDI settings Sluice keeps for writing the artifact back).
public enum DatabaseConnection: Sendable, Hashable {
    case pool(DatabasePoolDefinition)
    case dataSource(DataSourceReference)

    /// The text of a pool setting: inline, or (`key=`) the local entry holding it, as Synapse reads it from the
    /// registry.
    public enum Setting: Sendable, Hashable {
        case value(String)
        case key(String)
    }

    static func read(_ element: XMLElementNode, owner: String, reader: ArtifactReader) -> DatabaseConnection? {
        reader.ignoreText(in: element)
        var pool: XMLElementNode?
        for child in element.childElements {
            guard reader.isSynapseChild(child, of: element) else { return nil }
            if child.localName == "pool" { pool = pool ?? child } else { reader.ignoreUnknown(child, in: element) }
        }
        guard let pool else {
            reader.report(
                "The DataSource connection information must be specified for using a custom DataSource connection "
                    + "pool or for a JNDI lookup: <\(owner)> needs <connection><pool>",
                at: element
            )
            return nil
        }
        reader.ignoreText(in: pool)
        if let name = child(pool, "dsName", reader: reader) {
            return DataSourceReference.read(pool, name: name, reader: reader).map(DatabaseConnection.dataSource)
        }
        if child(pool, "driver", reader: reader) != nil {
            return DatabasePoolDefinition.read(pool, reader: reader).map(DatabaseConnection.pool)
        }
        reader.report(
            "The DataSource connection information must be specified for using a custom DataSource connection pool "
                + "or for a JNDI lookup: <pool> needs a <driver> or a <dsName>",
            at: pool
        )
        return nil
    }

    static func child(_ element: XMLElementNode, _ name: String, reader: ArtifactReader) -> XMLElementNode? {
        element.childElements.first { reader.isSynapse($0, named: name) }
    }

    func write(to writer: XMLWriter) {
        writer.element("connection") {
            writer.element("pool") {
                switch self {
                case .pool(let pool): pool.write(to: writer)
                case .dataSource(let reference): reference.write(to: writer)
                }
            }
        }
    }
}

/// A pool of the mediator's own. Synapse creates it at deploy and connects at the first statement (the driver is
/// loaded then, so a driver it lacks deploys and faults when a message arrives); Sluice does the same.
public struct DatabasePoolDefinition: Sendable, Hashable {
    /// A pool `<property name= value=>` (`maxactive`, `autocommit`, `validationquery`...).
    public struct Property: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var driver: DatabaseConnection.Setting
    public var url: DatabaseConnection.Setting
    public var user: DatabaseConnection.Setting
    public var password: DatabaseConnection.Setting
    public var properties: [Property]

    public init(
        driver: DatabaseConnection.Setting,
        url: DatabaseConnection.Setting,
        user: DatabaseConnection.Setting,
        password: DatabaseConnection.Setting,
        properties: [Property] = []
    ) {
        self.driver = driver
        self.url = url
        self.user = user
        self.password = password
        self.properties = properties
    }

    static func read(_ pool: XMLElementNode, reader: ArtifactReader) -> DatabasePoolDefinition? {
        var properties: [Property] = []
        var ok = true
        for child in pool.childElements where reader.isSynapseNamespace(child) {
            switch child.localName {
            case "driver", "url", "user", "password": break
            case "property":
                guard let name = child.attribute("name"), let value = child.attribute("value") else {
                    reader.report("a pool <property> needs 'name' and 'value'", at: child)
                    ok = false
                    continue
                }
                properties.append(Property(name: name, value: value))
            default:
                reader.ignoreUnknown(child, in: pool)
            }
        }
        let settings = ["driver", "url", "user", "password"].map { setting(pool, $0, reader: reader) }
        guard ok, let driver = settings[0], let url = settings[1], let user = settings[2], let password = settings[3]
        else { return nil }
        return DatabasePoolDefinition(driver: driver, url: url, user: user, password: password, properties: properties)
    }

    /// A required setting: Synapse refuses a pool without one ("Unable to read configuration value for : url").
    private static func setting(
        _ pool: XMLElementNode,
        _ name: String,
        reader: ArtifactReader
    ) -> DatabaseConnection.Setting? {
        guard let element = DatabaseConnection.child(pool, name, reader: reader) else {
            reader.report("Unable to read configuration value for : \(name) (the <pool> needs a <\(name)>)", at: pool)
            return nil
        }
        if let key = element.attribute("key") { return .key(key) }
        return .value(element.textContent.trimmingSpaces())
    }

    func write(to writer: XMLWriter) {
        for (name, setting) in [("driver", driver), ("url", url), ("user", user), ("password", password)] {
            switch setting {
            case .value(let text): writer.textElement(name, text)
            case .key(let key): writer.element(name, ["key": key])
            }
        }
        for property in properties {
            writer.element("property", ["name": property.name, "value": property.value])
        }
    }
}

/// `<dsName>`: a datasource the node declares (Sluice's `<DataSources>` in api-manager.xml). `icClass` and the
/// JNDI `url`/`user`/`password` name an external JNDI provider Sluice has none of; they are kept for writing back.
public struct DataSourceReference: Sendable, Hashable {
    public var name: String
    public var initialContextClass: String?
    public var providerURL: String?
    public var user: String?
    public var password: String?

    public init(
        name: String,
        initialContextClass: String? = nil,
        providerURL: String? = nil,
        user: String? = nil,
        password: String? = nil
    ) {
        self.name = name
        self.initialContextClass = initialContextClass
        self.providerURL = providerURL
        self.user = user
        self.password = password
    }

    static func read(_ pool: XMLElementNode, name: XMLElementNode, reader: ArtifactReader) -> DataSourceReference? {
        func text(_ field: String) -> String? {
            DatabaseConnection.child(pool, field, reader: reader)?.textContent.trimmingSpaces()
        }
        for child in pool.childElements where reader.isSynapseNamespace(child) {
            if !["dsName", "icClass", "url", "user", "password", "property"].contains(child.localName) {
                reader.ignoreUnknown(child, in: pool)
            }
        }
        let initialContextClass = text("icClass")
        if initialContextClass != nil {
            for field in ["url", "user", "password"] where text(field) == nil {
                reader.report("Unable to read configuration value for : \(field) (a JNDI <pool> needs it)", at: pool)
                return nil
            }
        }
        return DataSourceReference(
            name: name.textContent.trimmingSpaces(),
            initialContextClass: initialContextClass,
            providerURL: initialContextClass == nil ? nil : text("url"),
            user: initialContextClass == nil ? nil : text("user"),
            password: initialContextClass == nil ? nil : text("password")
        )
    }

    func write(to writer: XMLWriter) {
        writer.textElement("dsName", name)
        guard let initialContextClass else { return }
        writer.textElement("icClass", initialContextClass)
        writer.textElement("url", providerURL ?? "")
        writer.textElement("user", user ?? "")
        writer.textElement("password", password ?? "")
    }
}
