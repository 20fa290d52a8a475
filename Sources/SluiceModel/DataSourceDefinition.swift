/// A database the node declares for the `dsName` of `dblookup`/`dbreport` (`<DataSources><DataSource>` in
/// api-manager.xml, as WSO2 declares them in `master-datasources.xml` or `[[datasource]]` of deployment.toml).
public struct DataSourceDefinition: Sendable, Hashable, CustomStringConvertible {
    /// The name mediators give in `<dsName>` (WSO2's JNDI name, e.g. `jdbc/OrdersDB`, or its datasource id).
    public var name: String
    /// The JDBC URL: `jdbc:postgresql://host:port/database` or `jdbc:sqlite:path`.
    public var url: String
    public var username: String
    /// Never logged or printed.
    public var password: String
    /// The JDBC driver class; nil takes the one the URL's kind has.
    public var driver: String?
    /// The most pooled connections; nil keeps the pool's default.
    public var maxActive: Int?

    public init(
        name: String,
        url: String,
        username: String = "",
        password: String = "",
        driver: String? = nil,
        maxActive: Int? = nil
    ) {
        self.name = name
        self.url = url
        self.username = username
        self.password = password
        self.driver = driver
        self.maxActive = maxActive
    }

    /// The name, URL and user; the password is redacted.
    public var description: String {
        "DataSource(\(name): \(url), user \(username), password <redacted>)"
    }
}
