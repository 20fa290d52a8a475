/// The certificate a client presented in the TLS handshake (and proved it holds the key of), as the gateway's
/// mutual-TLS check needs it: worked out once per connection, shared by every request on it.
public final class ClientCertificate: Sendable {
    /// SHA-256 of the certificate's DER encoding, lower-case hexadecimal: what an API's uploaded certificates are
    /// matched by (the whole certificate, not a name anyone may put in a certificate of their own).
    public let fingerprint: String
    /// The subject's distinguished name (RFC 4514 text).
    public let subject: String
    /// The subject's common name, when it has one: WSO2 reports it as the caller's user name.
    public let commonName: String?

    /// Creates the description of a presented certificate.
    public init(fingerprint: String, subject: String, commonName: String?) {
        self.fingerprint = fingerprint
        self.subject = subject
        self.commonName = commonName
    }

    /// The user name WSO2 records for a call authenticated by this certificate: the common name, else the subject.
    public var userName: String { commonName ?? subject }
}
