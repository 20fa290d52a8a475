import Crypto
public import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SwiftASN1
import X509
import _CryptoExtras

/// A self-signed server certificate for a first start without key material: an RSA 2048 key (so access tokens
/// are signed RS256, as WSO2's are), or on request an EC P-256 key, and a certificate for `localhost`, the
/// loopback addresses and the host name.
public struct SelfSignedCertificate: Sendable {
    /// The kind of key made.
    public enum KeyKind: Sendable {
        /// RSA 2048 (PKCS#1 key file): JWTs signed RS256, as WSO2's are; the default.
        case rsa2048
        /// EC P-256 (SEC 1 key file): JWTs signed ES256.
        case p256
    }

    /// The certificate in PEM.
    public let certificatePEM: String
    /// The private key in PEM (PKCS#1, unencrypted: the file is written with mode 0600).
    public let privateKeyPEM: String

    /// Makes a new key and certificate.
    /// - Parameters:
    ///   - hostNames: DNS names besides `localhost` (the machine's host name).
    ///   - now: The start of the validity period (backdated an hour for clocks that lag).
    ///   - validity: How long it is valid.
    ///   - keyKind: RSA 2048 (the default) or EC P-256.
    /// - Throws: Errors of key generation or encoding (not expected).
    public init(
        hostNames: [String],
        now: Date = Date(),
        validity: TimeInterval = 2 * 365 * 24 * 3600,
        keyKind: KeyKind = .rsa2048
    ) throws {
        let key: Certificate.PrivateKey
        let keyPEM: String
        let signatureAlgorithm: Certificate.SignatureAlgorithm
        switch keyKind {
        case .rsa2048:
            let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            key = Certificate.PrivateKey(rsa)
            keyPEM = rsa.pemRepresentation
            signatureAlgorithm = .sha256WithRSAEncryption
        case .p256:
            let p256 = P256.Signing.PrivateKey()
            key = Certificate.PrivateKey(p256)
            keyPEM = p256.pemRepresentation
            signatureAlgorithm = .ecdsaWithSHA256
        }
        let name = try DistinguishedName {
            OrganizationName("Sluice")
            CommonName("localhost")
        }
        var dnsNames = ["localhost"]
        for host in hostNames where !host.isEmpty && !dnsNames.contains(host.lowercased()) {
            dnsNames.append(host.lowercased())
        }
        let alternativeNames: [GeneralName] =
            dnsNames.map { .dnsName($0) } + [
                .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                .ipAddress(ASN1OctetString(contentBytes: ArraySlice(repeating: 0, count: 15) + [1])),
            ]
        let keyIdentifier = SubjectKeyIdentifier(hash: key.publicKey)
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            // No KeyUsage: BoringSSL takes a self-signed certificate as its own issuer (the trust anchor a client
            // is given with --cacert) only when its key usage, if present, allows certificate signing.
            try ExtendedKeyUsage([.serverAuth, .clientAuth])
            SubjectAlternativeNames(alternativeNames)
            keyIdentifier
            AuthorityKeyIdentifier(keyIdentifier: keyIdentifier.keyIdentifier)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(validity),
            issuer: name,
            subject: name,
            signatureAlgorithm: signatureAlgorithm,
            extensions: extensions,
            issuerPrivateKey: key
        )
        certificatePEM = try certificate.serializeAsPEM().pemString + "\n"
        privateKeyPEM = keyPEM + "\n"
    }

    /// Writes the pair: the key readable by its owner only, created exclusively so an existing file is never
    /// overwritten.
    /// - Parameters:
    ///   - certificatePath: Where the certificate goes.
    ///   - keyPath: Where the key goes.
    /// - Throws: ``KeyStoreError`` when a folder cannot be made or a file written.
    public func write(certificatePath: String, keyPath: String) throws(KeyStoreError) {
        let folder = (keyPath as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(folder, detail: "the folder cannot be created")
        }
        try Self.create(keyPath, contents: privateKeyPEM, permissions: 0o600)
        try Self.create(certificatePath, contents: certificatePEM, permissions: 0o644)
    }

    private static func create(_ path: String, contents: String, permissions: mode_t) throws(KeyStoreError) {
        // O_EXCL: a file that appeared meanwhile (another node starting on the same repository) is kept.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, permissions)
        guard descriptor >= 0 else { throw .cannotWrite(path, detail: String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data(contents.utf8))
            try handle.close()
        } catch {
            throw .cannotWrite(path, detail: "the file cannot be written")
        }
    }
}
