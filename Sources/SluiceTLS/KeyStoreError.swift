/// Why a key store or trust store could not be used. Each message names the file and what to do, so that a
/// start that fails on it tells the operator enough to fix it.
public struct KeyStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Reason: Sendable, Hashable {
        case missingFile(path: String, role: String)
        case unreadable(path: String, role: String, detail: String)
        case wrongPassword(path: String, role: String)
        case encryptedWithoutPassword(path: String)
        case noCertificate(path: String)
        case unsupportedKey(path: String, detail: String)
        case keyDoesNotMatch(certificate: String, key: String)
        case incompleteDefaultPair(present: String, missing: String)
        case cannotWrite(path: String, detail: String)
    }

    private let reason: Reason

    private init(_ reason: Reason) {
        self.reason = reason
    }

    /// A file named in the configuration does not exist.
    static func missingFile(_ path: String, role: String) -> Self { Self(.missingFile(path: path, role: role)) }
    /// The file exists but is not what its format says.
    static func unreadable(_ path: String, role: String, detail: String) -> Self {
        Self(.unreadable(path: path, role: role, detail: detail))
    }
    /// The password does not open the file.
    static func wrongPassword(_ path: String, role: String) -> Self { Self(.wrongPassword(path: path, role: role)) }
    /// The PEM key is encrypted and no password was given.
    static func encryptedWithoutPassword(_ path: String) -> Self { Self(.encryptedWithoutPassword(path: path)) }
    /// A certificate file without a certificate.
    static func noCertificate(_ path: String) -> Self { Self(.noCertificate(path: path)) }
    /// A key type TLS or JWT signing cannot use.
    static func unsupportedKey(_ path: String, detail: String) -> Self {
        Self(.unsupportedKey(path: path, detail: detail))
    }
    /// The private key is not the key of the certificate.
    static func keyDoesNotMatch(certificate: String, key: String) -> Self {
        Self(.keyDoesNotMatch(certificate: certificate, key: key))
    }
    /// One half of the generated default pair is there, the other is not.
    static func incompleteDefaultPair(present: String, missing: String) -> Self {
        Self(.incompleteDefaultPair(present: present, missing: missing))
    }
    /// A generated file could not be written.
    static func cannotWrite(_ path: String, detail: String) -> Self { Self(.cannotWrite(path: path, detail: detail)) }

    public var description: String {
        switch reason {
        case .missingFile(let path, let role):
            "the \(role) \(path) does not exist (check <Security> in api-manager.xml)"
        case .unreadable(let path, let role, let detail):
            "the \(role) \(path) cannot be read: \(detail)"
        case .wrongPassword(let path, let role):
            "the password does not open the \(role) \(path) (check <Password> or SLUICE_KEYSTORE_PASSWORD)"
        case .encryptedWithoutPassword(let path):
            "the private key \(path) is encrypted: give its <Password> (or SLUICE_KEYSTORE_PASSWORD)"
        case .noCertificate(let path):
            "\(path) holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)"
        case .unsupportedKey(let path, let detail):
            "the private key in \(path) cannot be used: \(detail)"
        case .keyDoesNotMatch(let certificate, let key):
            "the private key \(key) does not belong to the certificate \(certificate)"
        case .incompleteDefaultPair(let present, let missing):
            "\(present) exists but \(missing) does not: restore it, or remove both to generate a new self-signed pair"
        case .cannotWrite(let path, let detail):
            "cannot write \(path): \(detail)"
        }
    }
}
