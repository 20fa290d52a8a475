public import Crypto
import Foundation
public import NIOSSL
public import SluiceModel
public import X509
public import _CryptoExtras

/// The private key of a key store as swift-crypto sees it: what signs JWTs and what checks the key matches its
/// certificate.
public enum PrivateKeyMaterial: Sendable {
    /// An RSA key (2048 bits or more): RS256.
    case rsa(_RSA.Signing.PrivateKey)
    /// An EC P-256 key: ES256.
    case p256(P256.Signing.PrivateKey)
    /// An EC P-384 key: ES384.
    case p384(P384.Signing.PrivateKey)

    /// The key as swift-certificates wraps it.
    public var certificateKey: Certificate.PrivateKey {
        switch self {
        case .rsa(let key): Certificate.PrivateKey(key)
        case .p256(let key): Certificate.PrivateKey(key)
        case .p384(let key): Certificate.PrivateKey(key)
        }
    }

    /// Reads a DER private key (PKCS#1, SEC1 or PKCS#8).
    init(derBytes: [UInt8], path: String) throws(KeyStoreError) {
        if let rsa = try? _RSA.Signing.PrivateKey(derRepresentation: derBytes) {
            self = .rsa(rsa)
        } else if let p256 = try? P256.Signing.PrivateKey(derRepresentation: derBytes) {
            self = .p256(p256)
        } else if let p384 = try? P384.Signing.PrivateKey(derRepresentation: derBytes) {
            self = .p384(p384)
        } else {
            throw .unsupportedKey(path, detail: "use an RSA key of at least 2048 bits or an EC P-256/P-384 key")
        }
    }
}

/// A loaded key store: a certificate chain (leaf first) with its private key, checked to belong together.
public struct KeyStore: Sendable {
    /// The chain the TLS listeners present, leaf first.
    public let certificateChain: [NIOSSLCertificate]
    /// The key TLS handshakes are signed with.
    public let privateKey: NIOSSLPrivateKey
    /// The same key, for JWT signing.
    public let keyMaterial: PrivateKeyMaterial
    /// The leaf certificate, parsed.
    public let leaf: Certificate
    /// The leaf in DER.
    public let leafDER: [UInt8]
    /// Where the key store was read from (for messages).
    public let location: String

    /// The SHA-256 of the leaf certificate, as `openssl x509 -fingerprint -sha256` prints it (`AB:CD:...`).
    public var fingerprint: String {
        SHA256.hash(data: leafDER).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// The DNS names and IP addresses the leaf certificate is valid for.
    public var names: [String] {
        guard let alternatives = try? leaf.extensions.subjectAlternativeNames else { return [] }
        return alternatives.compactMap { name in
            switch name {
            case .dnsName(let dns): return dns
            case .ipAddress(let octets): return Self.formatIP(Array(octets.bytes))
            default: return nil
            }
        }
    }

    /// Whether the leaf certificate names `host` (an exact DNS name, a `*.` wildcard for one label, or an IP).
    public func serves(host: String) -> Bool {
        let host = host.lowercased()
        return names.contains { name in
            let name = name.lowercased()
            if name == host { return true }
            guard name.hasPrefix("*."), let dot = host.firstIndex(of: ".") else { return false }
            return host[dot...] == name.dropFirst()
        }
    }

    /// Loads and checks a key store.
    /// - Parameters:
    ///   - settings: Format, files and password.
    ///   - base: The folder relative paths are relative to (the one holding `repository/`).
    /// - Throws: ``KeyStoreError`` naming the file: missing, unreadable, wrong password, key not matching.
    public static func load(_ settings: KeyStoreSettings, relativeTo base: String) throws(KeyStoreError) -> KeyStore {
        let location = resolve(settings.location, base: base)
        switch settings.format {
        case .pkcs12:
            try requireFile(location, role: "key store")
            let bundle: NIOSSLPKCS12Bundle
            do {
                bundle = try NIOSSLPKCS12Bundle(file: location, passphrase: Array((settings.password ?? "").utf8))
            } catch {
                if isPasswordFailure(error) { throw .wrongPassword(location, role: "PKCS#12 key store") }
                throw .unreadable(location, role: "PKCS#12 key store", detail: "not a PKCS#12 file, or the password is wrong")
            }
            guard !bundle.certificateChain.isEmpty else { throw .noCertificate(location) }
            return try make(
                chain: bundle.certificateChain,
                key: bundle.privateKey,
                certificatePath: location,
                keyPath: location
            )
        case .pem:
            let keyPath = settings.privateKeyLocation.map { resolve($0, base: base) } ?? location
            try requireFile(location, role: "certificate")
            try requireFile(keyPath, role: "private key")
            let chain: [NIOSSLCertificate]
            do {
                chain = try NIOSSLCertificate.fromPEMFile(location)
            } catch {
                throw .noCertificate(location)
            }
            guard !chain.isEmpty else { throw .noCertificate(location) }
            let key = try loadPEMKey(keyPath, password: settings.password)
            return try make(chain: chain, key: key, certificatePath: location, keyPath: keyPath)
        }
    }

    /// Loads a PEM private key; an encrypted key needs `password` (never the terminal prompt BoringSSL would
    /// otherwise show).
    static func loadPEMKey(_ path: String, password: String?) throws(KeyStoreError) -> NIOSSLPrivateKey {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path, role: "private key", detail: "not a text (PEM) file")
        }
        guard text.contains("PRIVATE KEY-----") else {
            throw .unreadable(path, role: "private key", detail: "no -----BEGIN ... PRIVATE KEY----- block")
        }
        let encrypted = text.contains("ENCRYPTED")
        if encrypted, password == nil { throw .encryptedWithoutPassword(path) }
        let passphrase = Array((password ?? "").utf8)
        do {
            return try NIOSSLPrivateKey(file: path, format: .pem) { provide in provide(passphrase) }
        } catch {
            if encrypted { throw .wrongPassword(path, role: "private key") }
            throw .unreadable(path, role: "private key", detail: "the PEM key cannot be parsed")
        }
    }

    /// A key store from PEM text held in memory (a freshly generated pair, tests).
    /// - Parameters:
    ///   - certificatePEM: The certificate chain, leaf first.
    ///   - privateKeyPEM: The unencrypted private key.
    ///   - location: What messages call it.
    /// - Throws: ``KeyStoreError`` as ``load(_:relativeTo:)`` does.
    public static func fromPEM(
        certificatePEM: String,
        privateKeyPEM: String,
        location: String = "memory"
    ) throws(KeyStoreError) -> KeyStore {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8))
        } catch {
            throw .noCertificate(location)
        }
        guard !chain.isEmpty else { throw .noCertificate(location) }
        do {
            key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem) { provide in provide([UInt8]()) }
        } catch {
            throw .unreadable(location, role: "private key", detail: "the PEM key cannot be parsed")
        }
        return try make(chain: chain, key: key, certificatePath: location, keyPath: location)
    }

    private static func make(
        chain: [NIOSSLCertificate],
        key: NIOSSLPrivateKey,
        certificatePath: String,
        keyPath: String
    ) throws(KeyStoreError) -> KeyStore {
        let leafDER: [UInt8]
        let leaf: Certificate
        do {
            leafDER = try chain[0].toDERBytes()
            leaf = try Certificate(derEncoded: leafDER)
        } catch {
            throw .unreadable(certificatePath, role: "certificate", detail: "the certificate cannot be parsed")
        }
        let derKey: [UInt8]
        do {
            derKey = try key.derBytes
        } catch {
            throw .unsupportedKey(keyPath, detail: "the key cannot be exported")
        }
        let material = try PrivateKeyMaterial(derBytes: derKey, path: keyPath)
        guard material.certificateKey.publicKey == leaf.publicKey else {
            throw .keyDoesNotMatch(certificate: certificatePath, key: keyPath)
        }
        return KeyStore(
            certificateChain: chain,
            privateKey: key,
            keyMaterial: material,
            leaf: leaf,
            leafDER: leafDER,
            location: certificatePath
        )
    }

    static func resolve(_ path: String, base: String) -> String {
        path.hasPrefix("/") ? path : (base.hasSuffix("/") ? base : base + "/") + path
    }

    private static func requireFile(_ path: String, role: String) throws(KeyStoreError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .missingFile(path, role: role)
        }
    }

    /// BoringSSL reports a bad PKCS#12 password as `PKCS8_R_INCORRECT_PASSWORD` (or a MAC failure).
    private static func isPasswordFailure(_ error: any Error) -> Bool {
        let text = String(describing: error).uppercased()
        return text.contains("PASSWORD") || text.contains("MAC_VERIFY")
    }

    private static func formatIP(_ bytes: [UInt8]) -> String? {
        switch bytes.count {
        case 4: return bytes.map(String.init).joined(separator: ".")
        case 16:
            return stride(from: 0, to: 16, by: 2)
                .map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
                .joined(separator: ":")
        default: return nil
        }
    }
}
