public import SluiceModel
import SluiceMediation
import SluiceXML

/// Reads `repository/conf/api-manager.xml`, Sluice's own node configuration:
///
/// ```xml
/// <APIManager>
///     <Ports><Gateway>8280</Gateway><Management>9763</Management></Ports>
///     <BindAddress>0.0.0.0</BindAddress>
///     <Database><Type>sqlite</Type><Path>repository/database/sluice.db</Path></Database>
///     <!-- or <Database><Type>postgres</Type><URL>postgres://sluice@db:5432/sluice</URL></Database> -->
///     <Roles><Role>gateway</Role><Role>key-manager</Role>...</Roles>
///     <Admin><Username>admin</Username><Password>...</Password></Admin>
///     <KeyManager><URL>http://km.internal:9763</URL></KeyManager>
/// </APIManager>
/// ```
/// Every element is optional; absent ones keep `APIManagerSettings.defaults`.
public enum APIManagerConfigReader {
    /// Reads the file; a missing file gives the defaults of an all-in-one node.
    /// - Throws: `SynapseDiagnostics` for malformed XML, unknown elements, bad ports, roles or database kinds.
    public static func read(path: String) throws(SynapseDiagnostics) -> APIManagerSettings {
        var settings = APIManagerSettings.defaults
        guard let file = try ConfigFile.load(path: path) else { return settings }
        let reader = file.reader
        file.expectRoot("APIManager", namespace: nil)
        for element in file.root.childElements {
            switch element.localName {
            case "Ports":
                for port in element.childElements {
                    switch port.localName {
                    case "Gateway": settings.gatewayPort = readPort(port, reader: reader) ?? settings.gatewayPort
                    case "Management":
                        settings.managementPort = readPort(port, reader: reader) ?? settings.managementPort
                    default: reader.reportUnknown(port, in: element)
                    }
                }
            case "BindAddress":
                settings.bindAddress = element.textContent.trimmingSpaces()
            case "Database":
                settings.database = readDatabase(element, file: file) ?? settings.database
            case "Roles":
                settings.roles = readRoles(element, reader: reader) ?? settings.roles
            case "Admin":
                for field in element.childElements {
                    switch field.localName {
                    case "Username": settings.adminUsername = field.textContent.trimmingSpaces()
                    case "Password":
                        // Passwords keep their spaces: they are secrets, not layout.
                        settings.adminPassword = field.textContent
                    default: reader.reportUnknown(field, in: element)
                    }
                }
                if settings.adminUsername.isEmpty {
                    reader.report("<Admin><Username> must not be empty", at: element)
                }
            case "KeyManager":
                for field in element.childElements {
                    if field.localName == "URL" {
                        let url = field.textContent.trimmingSpaces()
                        settings.keyManagerURL = url.isEmpty ? nil : url
                    } else {
                        reader.reportUnknown(field, in: element)
                    }
                }
            default:
                reader.reportUnknown(element, in: file.root)
            }
        }
        try file.finish()
        return settings
    }

    private static func readPort(_ element: XMLElementNode, reader: ArtifactReader) -> Int? {
        guard let port: Int = reader.integer(element.textContent, named: element.localName, in: element) else {
            return nil
        }
        guard (0...65535).contains(port) else {
            reader.report("port \(port) is out of range (0-65535)", at: element)
            return nil
        }
        return port
    }

    private static func readDatabase(_ element: XMLElementNode, file: ConfigFile) -> APIManagerSettings.Database? {
        let kind = file.text(of: "Type", in: element)?.text.lowercased() ?? "sqlite"
        for field in element.childElements where !["Type", "Path", "URL"].contains(field.localName) {
            file.reader.reportUnknown(field, in: element)
        }
        switch kind {
        case "sqlite":
            let path = file.text(of: "Path", in: element)?.text ?? APIManagerSettings.defaultDatabasePath
            return .sqlite(path: path.isEmpty ? APIManagerSettings.defaultDatabasePath : path)
        case "postgres", "postgresql":
            guard let url = file.text(of: "URL", in: element)?.text, !url.isEmpty else {
                file.reader.report("a postgres <Database> needs a <URL>", at: element)
                return nil
            }
            return .postgres(url: url)
        default:
            file.reader.report("unknown database type '\(kind)': expected sqlite or postgres", at: element)
            return nil
        }
    }

    private static func readRoles(_ element: XMLElementNode, reader: ArtifactReader) -> Set<NodeRole>? {
        var roles: Set<NodeRole> = []
        for child in element.childElements {
            guard child.localName == "Role" else {
                reader.reportUnknown(child, in: element)
                continue
            }
            let name = child.textContent.trimmingSpaces()
            guard let role = NodeRole(rawValue: name) else {
                let allowed = NodeRole.allCases.map(\.rawValue).joined(separator: ", ")
                reader.report("unknown role '\(name)': expected one of \(allowed)", at: child)
                continue
            }
            roles.insert(role)
        }
        if roles.isEmpty {
            reader.report("<Roles> must list at least one <Role>", at: element)
            return nil
        }
        return roles
    }
}
