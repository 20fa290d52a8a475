import SluiceMediation
import SluiceModel
import SluiceXML

extension APIManagerConfigReader {
    /// `<DataSources>`: the databases `dblookup`/`dbreport` name in `<dsName>`.
    ///
    /// ```xml
    /// <DataSources>
    ///     <DataSource>
    ///         <Name>jdbc/OrdersDB</Name>                         <!-- what <dsName> says -->
    ///         <URL>jdbc:postgresql://db:5432/orders</URL>        <!-- or jdbc:sqlite:/var/lib/orders.db -->
    ///         <Username>orders</Username>
    ///         <Password>...</Password>                          <!-- never logged -->
    ///         <Driver>org.postgresql.Driver</Driver>            <!-- optional -->
    ///         <MaxActive>10</MaxActive>                         <!-- optional: the most pooled connections -->
    ///     </DataSource>
    /// </DataSources>
    /// ```
    static func readDataSources(_ element: XMLElementNode, reader: ArtifactReader) -> [DataSourceDefinition] {
        var sources: [DataSourceDefinition] = []
        var names: Set<String> = []
        for source in element.childElements {
            guard source.localName == "DataSource" else {
                reader.reportUnknown(source, in: element)
                continue
            }
            var name: String?
            var url: String?
            var definition = DataSourceDefinition(name: "", url: "")
            for field in source.childElements {
                let text = field.textContent.trimmingSpaces()
                switch field.localName {
                case "Name": name = text
                case "URL": url = text
                case "Username": definition.username = text
                // Passwords keep their spaces: they are secrets, not layout.
                case "Password": definition.password = field.textContent
                case "Driver": definition.driver = text
                case "MaxActive":
                    guard let count = Int(text), (1...1000).contains(count) else {
                        reader.report("<MaxActive> must be a whole number from 1 to 1000, not '\(text)'", at: field)
                        continue
                    }
                    definition.maxActive = count
                default: reader.reportUnknown(field, in: source)
                }
            }
            guard let name, !name.isEmpty, let url, !url.isEmpty else {
                reader.report("a <DataSource> needs a <Name> and a <URL>", at: source)
                continue
            }
            guard names.insert(name).inserted else {
                reader.report("the datasource '\(name)' is declared twice", at: source)
                continue
            }
            guard DatabaseTarget(jdbcURL: url) != nil else {
                reader.report(
                    "the datasource '\(name)' has the URL '\(url)': Sluice speaks jdbc:postgresql://host:port/database "
                        + "and jdbc:sqlite:path",
                    at: source
                )
                continue
            }
            definition.name = name
            definition.url = url
            sources.append(definition)
        }
        return sources
    }
}
