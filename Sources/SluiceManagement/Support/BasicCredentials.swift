import Foundation
import Hummingbird

/// A user name and password from an `Authorization: Basic` header.
struct BasicCredentials: Sendable {
    var username: String
    var password: String

    enum Parsed {
        /// No Authorization header, or another scheme.
        case absent
        /// A Basic header that cannot be decoded.
        case malformed
        case credentials(BasicCredentials)
    }

    /// Reads the header.
    /// - Parameters:
    ///   - headers: The request headers.
    ///   - formEncoded: Whether each part is form-url-encoded, as RFC 6749 §2.3.1 wants for client credentials.
    static func parse(_ headers: HTTPFields, formEncoded: Bool) -> Parsed {
        let values = headers[values: .authorization]
        guard let header = values.first else { return .absent }
        guard values.count == 1 else { return .malformed }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic" else {
            return parts.first?.lowercased() == "basic" ? .malformed : .absent
        }
        guard let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let decoded = String(data: data, encoding: .utf8),
            let colon = decoded.firstIndex(of: ":")
        else { return .malformed }
        var username = String(decoded[..<colon])
        var password = String(decoded[decoded.index(after: colon)...])
        if formEncoded {
            guard let user = FormParameters.decode(Substring(username)),
                let pass = FormParameters.decode(Substring(password))
            else { return .malformed }
            username = user
            password = pass
        }
        guard !username.isEmpty else { return .malformed }
        return .credentials(BasicCredentials(username: username, password: password))
    }
}
