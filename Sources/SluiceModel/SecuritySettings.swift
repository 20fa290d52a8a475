/// Where a node's TLS keys and trusted certificates come from (`<Security>` in `api-manager.xml`), as WSO2's
/// `carbon.xml` names its key store and trust store.
///
/// Relative paths are relative to the folder that holds `repository/`, like the database path.
public struct SecuritySettings: Sendable, Hashable, CustomStringConvertible {
    /// The key stores the HTTPS listeners serve; the first is the default identity (and signs JWTs), the others
    /// are chosen by SNI when the host name a client asks for is one of their certificate's names. Empty: the
    /// default PEM pair under `repository/resources/security/`, generated self-signed on the first start.
    public var keyStores: [KeyStoreSettings]
    /// `<JWTSigningKeyStore>`: the key JWTs are signed with (access tokens, API keys, backend JWTs) when it is not
    /// the first key store's. An EC P-256 key signs ES256 (several times cheaper to sign than RSA), P-384 ES384, RSA
    /// RS256. Nil: the first key store signs, RS256 with WSO2's RSA key as by default.
    public var jwtSigningKeyStore: KeyStoreSettings?
    /// PEM files (or folders of them) with certificates trusted for HTTPS backends, beside the system's trust
    /// store. Empty: `repository/resources/security/client-truststore.pem` when it exists.
    public var trustStores: [String]
    /// Client certificates for particular HTTPS backends (mutual TLS to the backend, as WSO2's dynamic SSL profiles
    /// name `host:port`s and a key store); other backends that ask for a certificate get the default key store's.
    public var backendClientCertificates: [BackendClientCertificate]

    /// Creates settings; the defaults use the generated certificate and the system trust store.
    public init(
        keyStores: [KeyStoreSettings] = [],
        jwtSigningKeyStore: KeyStoreSettings? = nil,
        trustStores: [String] = [],
        backendClientCertificates: [BackendClientCertificate] = []
    ) {
        self.keyStores = keyStores
        self.jwtSigningKeyStore = jwtSigningKeyStore
        self.trustStores = trustStores
        self.backendClientCertificates = backendClientCertificates
    }

    /// The settings with passwords redacted.
    public var description: String {
        "SecuritySettings(keyStores: \(keyStores), jwtSigningKeyStore: \(jwtSigningKeyStore.map(String.init(describing:)) ?? "none"), trustStores: \(trustStores), backendClientCertificates: \(backendClientCertificates))"
    }
}

/// `<BackendClientCertificate>`: the key store whose certificate the gateway presents to the backends at `servers`.
public struct BackendClientCertificate: Sendable, Hashable, CustomStringConvertible {
    /// Lower-case `host:port`s, as endpoints name them (`localhost:8443`, `billing.example.com:443`).
    public var servers: [String]
    /// The certificate chain and key.
    public var keyStore: KeyStoreSettings

    /// Creates the setting.
    public init(servers: [String], keyStore: KeyStoreSettings) {
        self.servers = servers.map { $0.lowercased() }
        self.keyStore = keyStore
    }

    /// The setting with the password redacted.
    public var description: String { "BackendClientCertificate(\(servers.joined(separator: ",")): \(keyStore))" }
}

/// One key store: a certificate chain with its private key.
public struct KeyStoreSettings: Sendable, Hashable, CustomStringConvertible {
    /// How the key store is stored.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// PEM: a certificate chain file and a private key file (or both in one file); the key may be encrypted.
        case pem = "PEM"
        /// PKCS#12 (`.p12`, `.pfx`): what `keytool -importkeystore -deststoretype PKCS12` makes of a WSO2
        /// `wso2carbon.jks`.
        case pkcs12 = "PKCS12"
    }

    /// PEM or PKCS#12.
    public var format: Format
    /// The PKCS#12 file, or the PEM certificate chain (leaf first).
    public var location: String
    /// The PEM private key file; nil when the key is in the certificate's file (PEM) or for PKCS#12.
    public var privateKeyLocation: String?
    /// Opens the PKCS#12 file or decrypts the PEM key; nil for an unencrypted PEM key. Never logged.
    public var password: String?

    /// Creates settings for one key store.
    public init(format: Format, location: String, privateKeyLocation: String? = nil, password: String? = nil) {
        self.format = format
        self.location = location
        self.privateKeyLocation = privateKeyLocation
        self.password = password
    }

    /// The format a file name suggests: `.p12` and `.pfx` are PKCS#12, everything else PEM.
    public static func format(ofFileNamed name: String) -> Format {
        let lowered = name.lowercased()
        return lowered.hasSuffix(".p12") || lowered.hasSuffix(".pfx") ? .pkcs12 : .pem
    }

    /// The settings with the password redacted.
    public var description: String {
        let key = privateKeyLocation.map { ", privateKey: \($0)" } ?? ""
        let password = password == nil ? "" : ", password: <redacted>"
        return "KeyStore(\(format.rawValue): \(location)\(key)\(password))"
    }
}
