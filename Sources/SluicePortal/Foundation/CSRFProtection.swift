import Crypto
import Foundation
import HTTPTypes
public import Hummingbird

/// Cross-site request forgery checks for the portals' forms: every state-changing request is a POST carrying
/// the session's token in `_csrf`; browsers that say where a request comes from (`Origin`, `Sec-Fetch-Site`)
/// must say it comes from this site.
public enum CSRFProtection {
    /// The hidden form field.
    public static let fieldName = "_csrf"

    /// Whether `form` may change state for `session`.
    /// - Parameters:
    ///   - request: The request (its `Origin`, `Sec-Fetch-Site` and `Host` headers).
    ///   - form: The parsed body.
    ///   - session: The browser's session; nil when the browser has none (then nothing is allowed).
    public static func isAllowed(_ request: Request, form: PortalForm, session: PortalSession?) -> Bool {
        guard let session, let sent = form[fieldName], tokensMatch(sent, session.csrfToken) else { return false }
        return isSameSite(request)
    }

    /// Compares in time independent of where the first difference is.
    static func tokensMatch(_ sent: String, _ expected: String) -> Bool {
        let a = Array(sent.utf8)
        let b = Array(expected.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// `Sec-Fetch-Site` must be `same-origin` or `none` (typed by the user); an `Origin` must name this host.
    static func isSameSite(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]?.lowercased(),
            site != "same-origin" && site != "none"
        {
            return false
        }
        if let origin = request.headers[.origin] {
            guard origin != "null", let host = URLComponents(string: origin)?.host,
                let requestHost = request.head.authority
            else { return false }
            let originAuthority = URLComponents(string: origin).map { components in
                components.port.map { "\(host):\($0)" } ?? host
            }
            return originAuthority?.lowercased() == requestHost.lowercased()
        }
        return true
    }
}
