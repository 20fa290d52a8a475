public import SluiceModel
import SluiceMediation
import SluiceXML

/// Reads `repository/conf/api-manager.xml`, Sluice's own node configuration:
///
/// ```xml
/// <APIManager>
///     <Ports><Gateway>8280</Gateway><GatewayHTTPS>8243</GatewayHTTPS>
///            <Management>9763</Management><ManagementHTTPS>9443</ManagementHTTPS></Ports>
///     <!-- any port may be "off" -->
///     <BindAddress>0.0.0.0</BindAddress>
///     <Database><Type>sqlite</Type><Path>repository/database/sluice.db</Path></Database>
///     <!-- or <Database><Type>postgres</Type><URL>postgres://sluice@db:5432/sluice</URL></Database> -->
///     <Roles><Role>gateway</Role><Role>key-manager</Role>...</Roles>
///     <Admin><Username>admin</Username><Password>...</Password></Admin>
///     <KeyManager><URL>http://km.internal:9763</URL></KeyManager>
///     <Security>
///         <KeyStore><Location>repository/resources/security/sluice.p12</Location><Password>...</Password></KeyStore>
///         <!-- or <KeyStore><Type>PEM</Type><Location>cert.pem</Location><PrivateKey>key.pem</PrivateKey></KeyStore> -->
///         <TrustStore><Location>repository/resources/security/client-truststore.pem</Location></TrustStore>
///     </Security>
///     <Analytics>
///         <RawEventSampleRate>0.01</RawEventSampleRate>      <!-- share of calls with a raw event; 0 = off -->
///         <RollupRetentionDays>90</RollupRetentionDays>
///         <RawEventRetentionDays>7</RawEventRetentionDays>
///     </Analytics>
///     <MaxConnections><Gateway>20000</Gateway><Management>2000</Management></MaxConnections>
///     <TrustedProxies><Proxy>10.0.0.0/8</Proxy><Proxy>192.0.2.1</Proxy></TrustedProxies>
///     <Metrics><Access>loopback</Access></Metrics>      <!-- or authenticated, public -->
///     <AnonymousRateLimit><PerSecond>20</PerSecond><Burst>100</Burst></AnonymousRateLimit>
///     <Cluster><ThrottleCounters>shared</ThrottleCounters><ThrottleSyncIntervalMillis>100</...></Cluster>
///     <JWTConfiguration><EnableJWTGeneration>true</EnableJWTGeneration><JWTHeader>X-JWT-Assertion</JWTHeader>
///         <ConsumerDialectURI>http://wso2.org/claims</ConsumerDialectURI><TTL>900</TTL></JWTConfiguration>
///     <DataSources><DataSource><Name>jdbc/OrdersDB</Name><URL>jdbc:postgresql://db:5432/orders</URL>
///         <Username>orders</Username><Password>...</Password></DataSource></DataSources>  <!-- see +DataSources -->
///     <AccessLog><Enabled>true</Enabled><File>repository/logs/http_access.log</File></AccessLog>  <!-- see +AccessLog -->
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
                    let value = readPort(port, reader: reader)
                    switch port.localName {
                    case "Gateway":
                        if case .port(let number) = value { settings.gatewayPort = number }
                        if value != nil { settings.gatewayHTTPEnabled = value != .off }
                    case "Management":
                        if case .port(let number) = value { settings.managementPort = number }
                        if value != nil { settings.managementHTTPEnabled = value != .off }
                    case "GatewayHTTPS":
                        if let value { settings.gatewayHTTPSPort = value.number }
                    case "ManagementHTTPS":
                        if let value { settings.managementHTTPSPort = value.number }
                    default: reader.reportUnknown(port, in: element)
                    }
                }
            case "BindAddress":
                settings.bindAddress = element.textContent.trimmingSpaces()
            case "Database":
                settings.database = readDatabase(element, file: file) ?? settings.database
            case "DataSources":
                settings.dataSources = readDataSources(element, reader: reader)
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
            case "Security":
                settings.security = readSecurity(element, file: file)
            case "Analytics":
                settings.usage = readUsage(element, reader: reader)
            case "MaxConnections":
                for server in element.childElements {
                    let count = readConnectionCount(server, reader: reader)
                    switch server.localName {
                    case "Gateway": settings.gatewayMaxConnections = count ?? settings.gatewayMaxConnections
                    case "Management": settings.managementMaxConnections = count ?? settings.managementMaxConnections
                    default: reader.reportUnknown(server, in: element)
                    }
                }
            case "TrustedProxies":
                for proxy in element.childElements {
                    guard proxy.localName == "Proxy" else {
                        reader.reportUnknown(proxy, in: element)
                        continue
                    }
                    let entry = proxy.textContent.trimmingSpaces()
                    if entry.isEmpty {
                        reader.report("<Proxy> must name an address or a CIDR block", at: proxy)
                    } else {
                        settings.trustedProxies.append(entry)
                    }
                }
            case "Metrics":
                readMetrics(element, into: &settings, reader: reader)
            case "AnonymousRateLimit":
                readAnonymousRateLimit(element, into: &settings, reader: reader)
            case "Cluster":
                settings.cluster = readCluster(element, reader: reader, defaults: settings.cluster)
            case "JWTConfiguration":
                settings.backendJWT = readJWTConfiguration(element, reader: reader)
            case "AccessLog":
                settings.accessLog = readAccessLog(element, reader: reader)
            case "OpenTelemetry":
                settings.tracing = readTracing(element, reader: reader)
            default:
                reader.reportUnknown(element, in: file.root)
            }
        }
        try file.finish()
        return settings
    }

    private static func readMetrics(_ element: XMLElementNode, into settings: inout APIManagerSettings, reader: ArtifactReader) {
        for field in element.childElements {
            guard field.localName == "Access" else {
                reader.reportUnknown(field, in: element)
                continue
            }
            let value = field.textContent.trimmingSpaces().lowercased()
            guard let access = MetricsAccess(rawValue: value) else {
                let allowed = MetricsAccess.allCases.map(\.rawValue).joined(separator: ", ")
                reader.report("unknown metrics access '\(value)': expected one of \(allowed)", at: field)
                continue
            }
            settings.metricsAccess = access
        }
    }

    private static func readAnonymousRateLimit(
        _ element: XMLElementNode,
        into settings: inout APIManagerSettings,
        reader: ArtifactReader
    ) {
        for field in element.childElements {
            switch field.localName {
            case "PerSecond":
                let text = field.textContent.trimmingSpaces()
                guard let rate = Double(text), rate >= 0, rate.isFinite else {
                    reader.report("<PerSecond> must be a number of requests, 0 or more (0: no limit)", at: field)
                    continue
                }
                settings.anonymousRequestsPerSecond = rate
            case "Burst":
                guard let burst: Int = reader.integer(field.textContent, named: "Burst", in: field) else { continue }
                guard burst >= 1 else {
                    reader.report("<Burst> must be at least 1", at: field)
                    continue
                }
                settings.anonymousBurst = burst
            default:
                reader.reportUnknown(field, in: element)
            }
        }
    }

    private enum PortValue: Equatable {
        case port(Int)
        case off

        var number: Int? {
            if case .port(let number) = self { number } else { nil }
        }
    }

    private static func readPort(_ element: XMLElementNode, reader: ArtifactReader) -> PortValue? {
        if element.textContent.trimmingSpaces().lowercased() == "off" { return .off }
        guard let port: Int = reader.integer(element.textContent, named: element.localName, in: element) else {
            return nil
        }
        guard (0...65535).contains(port) else {
            reader.report("port \(port) is out of range (0-65535)", at: element)
            return nil
        }
        return .port(port)
    }

    private static func readSecurity(_ element: XMLElementNode, file: ConfigFile) -> SecuritySettings {
        var security = SecuritySettings()
        for child in element.childElements {
            switch child.localName {
            case "KeyStore":
                if let keyStore = readKeyStore(child, file: file) { security.keyStores.append(keyStore) }
            case "JWTSigningKeyStore":
                guard security.jwtSigningKeyStore == nil else {
                    file.reader.report("only one <JWTSigningKeyStore> signs JWTs; remove the others", at: child)
                    continue
                }
                security.jwtSigningKeyStore = readKeyStore(child, file: file)
            case "TrustStore":
                for field in child.childElements where field.localName != "Location" {
                    file.reader.reportUnknown(field, in: child)
                }
                guard let location = file.text(of: "Location", in: child)?.text, !location.isEmpty else {
                    file.reader.report("a <TrustStore> needs a <Location>", at: child)
                    continue
                }
                security.trustStores.append(location)
            case "BackendClientCertificate":
                if let certificate = readBackendClientCertificate(child, file: file) {
                    security.backendClientCertificates.append(certificate)
                }
            default:
                file.reader.reportUnknown(child, in: element)
            }
        }
        return security
    }

    /// `<BackendClientCertificate><Servers>host:port, ...</Servers><KeyStore>...</KeyStore></BackendClientCertificate>`.
    private static func readBackendClientCertificate(_ element: XMLElementNode, file: ConfigFile) -> BackendClientCertificate? {
        for field in element.childElements where !["Servers", "KeyStore"].contains(field.localName) {
            file.reader.reportUnknown(field, in: element)
        }
        let servers = (file.text(of: "Servers", in: element)?.text ?? "").split(separator: ",").map { $0.trimmingSpaces() }
            .filter { !$0.isEmpty }
        guard !servers.isEmpty else {
            file.reader.report("a <BackendClientCertificate> needs <Servers>host:port, ...</Servers>", at: element)
            return nil
        }
        for server in servers {
            guard let colon = server.lastIndex(of: ":"), colon != server.startIndex,
                let port = Int(server[server.index(after: colon)...]), (1...65535).contains(port)
            else {
                file.reader.report("'\(server)' in <Servers> is not host:port", at: element)
                return nil
            }
        }
        guard let keyStoreElement = element.child("KeyStore") else {
            file.reader.report("a <BackendClientCertificate> needs a <KeyStore>", at: element)
            return nil
        }
        guard let keyStore = readKeyStore(keyStoreElement, file: file) else { return nil }
        return BackendClientCertificate(servers: servers.map(String.init), keyStore: keyStore)
    }

    private static func readKeyStore(_ element: XMLElementNode, file: ConfigFile) -> KeyStoreSettings? {
        for field in element.childElements where !["Location", "Type", "PrivateKey", "Password"].contains(field.localName) {
            file.reader.reportUnknown(field, in: element)
        }
        guard let location = file.text(of: "Location", in: element)?.text, !location.isEmpty else {
            file.reader.report("a <\(element.localName)> needs a <Location>", at: element)
            return nil
        }
        var format = KeyStoreSettings.format(ofFileNamed: location)
        if let (type, typeElement) = file.text(of: "Type", in: element) {
            switch type.uppercased() {
            case "PEM": format = .pem
            case "PKCS12", "P12": format = .pkcs12
            case "JKS":
                file.reader.report(
                    "JKS key stores cannot be read; convert with 'keytool -importkeystore -srckeystore "
                        + "wso2carbon.jks -destkeystore wso2carbon.p12 -deststoretype PKCS12' and use <Type>PKCS12</Type>",
                    at: typeElement
                )
                return nil
            default:
                file.reader.report("unknown key store type '\(type)': expected PEM or PKCS12", at: typeElement)
                return nil
            }
        }
        let privateKey = file.text(of: "PrivateKey", in: element)?.text
        if format == .pkcs12, privateKey != nil {
            file.reader.report("a PKCS12 <\(element.localName)> holds its key; <PrivateKey> is for PEM", at: element)
            return nil
        }
        // Passwords keep their spaces: they are secrets, not layout.
        let password = element.child("Password")?.textContent
        return KeyStoreSettings(
            format: format,
            location: location,
            privateKeyLocation: privateKey.flatMap { $0.isEmpty ? nil : $0 },
            password: password
        )
    }

    private static func readConnectionCount(_ element: XMLElementNode, reader: ArtifactReader) -> Int? {
        guard let count: Int = reader.integer(element.textContent, named: element.localName, in: element) else {
            return nil
        }
        guard count >= 1 else {
            reader.report("<MaxConnections><\(element.localName)> must be at least 1", at: element)
            return nil
        }
        return count
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

    private static func readUsage(_ element: XMLElementNode, reader: ArtifactReader) -> UsageSettings {
        var usage = UsageSettings()
        for field in element.childElements {
            let text = field.textContent.trimmingSpaces()
            switch field.localName {
            case "RawEventSampleRate":
                guard let rate = Double(text), (0...1).contains(rate) else {
                    reader.report("<RawEventSampleRate> must be a number from 0 to 1, not '\(text)'", at: field)
                    continue
                }
                usage.rawEventSampleRate = rate
            case "RollupRetentionDays", "RawEventRetentionDays":
                guard let days: Int = reader.integer(text, named: field.localName, in: field) else { continue }
                guard days >= 1 else {
                    reader.report("<\(field.localName)> must be at least 1 day", at: field)
                    continue
                }
                if field.localName == "RollupRetentionDays" {
                    usage.rollupRetentionDays = days
                } else {
                    usage.rawEventRetentionDays = days
                }
            default:
                reader.reportUnknown(field, in: element)
            }
        }
        return usage
    }

    private static func readCluster(
        _ element: XMLElementNode,
        reader: ArtifactReader,
        defaults: ClusterSettings
    ) -> ClusterSettings {
        var cluster = defaults
        for field in element.childElements {
            let text = field.textContent.trimmingSpaces()
            switch field.localName {
            case "ThrottleCounters":
                guard let mode = ClusterSettings.ThrottleCounters(rawValue: text.lowercased()) else {
                    reader.report("unknown throttle counters '\(text)': expected shared or local", at: field)
                    continue
                }
                cluster.throttleCounters = mode
            case "ThrottleSyncIntervalMillis":
                guard let millis: Int = reader.integer(text, named: field.localName, in: field) else { continue }
                guard (10...60_000).contains(millis) else {
                    reader.report("ThrottleSyncIntervalMillis must be from 10 to 60000, not \(millis)", at: field)
                    continue
                }
                cluster.throttleSyncIntervalMillis = millis
            default:
                reader.reportUnknown(field, in: element)
            }
        }
        return cluster
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
