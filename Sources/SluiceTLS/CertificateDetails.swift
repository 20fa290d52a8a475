import Crypto
public import Foundation
public import NIOSSL
public import SluiceModel
import SwiftASN1
import X509

/// One X.509 certificate read for mutual TLS: a publisher's upload (PEM or DER, as WSO2 takes a `.crt`) or what a
/// client presented in its handshake. The fingerprint (SHA-256 of the DER) identifies the certificate itself.
public struct CertificateDetails: Sendable, Hashable {
    /// The DER encoding.
    public let der: [UInt8]
    /// SHA-256 of ``der``, lower-case hexadecimal.
    public let fingerprint: String
    /// The subject (RFC 4514 text).
    public let subject: String
    /// The subject's common name, when it has one.
    public let commonName: String?
    /// The issuer (RFC 4514 text).
    public let issuer: String
    /// The serial number, as swift-certificates prints it.
    public let serialNumber: String
    /// The start of the validity period.
    public let notValidBefore: Date
    /// The end of the validity period.
    public let notValidAfter: Date
    /// The X.509 version (`V1`, `V3`).
    public let version: String

    /// Why an upload is not a certificate.
    public enum ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Neither one PEM certificate nor DER.
        case notACertificate
        /// More than one certificate in the PEM text.
        case severalCertificates

        public var description: String {
            switch self {
            case .notACertificate: "the certificate is neither a PEM nor a DER encoded X.509 certificate"
            case .severalCertificates: "the file holds more than one certificate; upload one certificate per alias"
            }
        }
    }

    /// Reads a DER certificate.
    /// - Throws: ``ReadError/notACertificate``.
    public init(der: [UInt8]) throws(ReadError) {
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: der)
        } catch {
            throw .notACertificate
        }
        self.der = der
        self.fingerprint = HexEncoding.encode(SHA256.hash(data: der))
        self.subject = certificate.subject.description
        self.issuer = certificate.issuer.description
        self.commonName = Self.commonName(of: certificate.subject)
        self.serialNumber = certificate.serialNumber.description
        self.notValidBefore = certificate.notValidBefore
        self.notValidAfter = certificate.notValidAfter
        self.version = certificate.version == .v1 ? "V1" : "V3"
    }

    /// Reads an uploaded file: one PEM certificate, or DER.
    /// - Throws: ``ReadError``.
    public init(uploaded bytes: [UInt8]) throws(ReadError) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("-----BEGIN") else {
            try self.init(der: bytes)
            return
        }
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: text).filter { $0.discriminator == "CERTIFICATE" }
        } catch {
            throw .notACertificate
        }
        guard documents.count <= 1 else { throw .severalCertificates }
        guard let document = documents.first else { throw .notACertificate }
        try self.init(der: document.derBytes)
    }

    /// The certificate in PEM.
    public var pem: String {
        PEMDocument(type: "CERTIFICATE", derBytes: der).pemString + "\n"
    }

    /// Whether `date` lies in the validity period.
    public func isValid(at date: Date) -> Bool {
        notValidBefore <= date && date <= notValidAfter
    }

    /// What the gateway's mutual-TLS check needs.
    public var clientCertificate: ClientCertificate {
        ClientCertificate(fingerprint: fingerprint, subject: subject, commonName: commonName)
    }

    /// The client certificate of a TLS peer, or nil when it cannot be encoded (BoringSSL parsed it, so it can).
    public static func clientCertificate(of peer: NIOSSLCertificate) -> ClientCertificate? {
        guard let der = try? peer.toDERBytes(), let details = try? CertificateDetails(der: der) else { return nil }
        return details.clientCertificate
    }

    static func commonName(of name: DistinguishedName) -> String? {
        for relativeName in name {
            for attribute in relativeName where attribute.type == .RDNAttributeType.commonName {
                if let text = String(attribute.value) { return text }
            }
        }
        return nil
    }
}
