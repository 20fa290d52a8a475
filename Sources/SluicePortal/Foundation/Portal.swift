import Foundation
public import Hummingbird
public import Logging
public import SluiceControlPlane

/// What every portal page handler needs: the management services, the renderer, the sessions and the settings,
/// with the helpers that turn them into pages, redirects and checked forms.
public final class Portal: Sendable {
    /// The session cookie's name.
    public static let cookieName = "sluice_session"

    public let services: APIManagerServices
    public let configuration: PortalConfiguration
    public let renderer: PortalRenderer
    public let sessions: PortalSessionStore
    public let logger: Logger

    /// Creates the portal environment.
    /// - Throws: ``PortalRenderer/TemplateError`` when a template does not parse.
    public init(
        services: APIManagerServices,
        configuration: PortalConfiguration,
        templates: [String: String],
        logger: Logger = Logger(label: "sluice.portal")
    ) throws {
        self.services = services
        self.configuration = configuration
        self.renderer = try PortalRenderer(templates: templates)
        self.sessions = PortalSessionStore(configuration: configuration)
        self.logger = logger
    }

    // MARK: - Sessions

    /// The browser's live session, if its cookie names one.
    public func session(for request: Request) -> PortalSession? {
        guard let id = Self.cookie(Self.cookieName, in: request) else { return nil }
        return sessions.session(id: id)
    }

    /// The browser's session, or a new anonymous one (whose cookie the response must set).
    public func sessionOrAnonymous(for request: Request) -> (session: PortalSession, isNew: Bool) {
        if let session = session(for: request) { return (session, false) }
        return (sessions.create(), true)
    }

    /// The signed-in session of a user allowed in `area`.
    /// - Throws: ``PortalError`` with a 303 to the area's sign-in page (carrying `next`) when nobody is signed
    ///   in, or a 403 page when the user lacks the area's roles.
    public func requireSignIn(_ request: Request, area: PortalArea) throws -> PortalSession {
        guard let session = session(for: request), session.isSignedIn else {
            // After signing in the browser GETs `next`: a form's POST address would be the wrong page.
            var next = request.method == .get ? request.uri.path : area.path
            if request.method == .get, let query = request.uri.query, !query.isEmpty { next += "?" + query }
            let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            throw PortalError(Self.redirect(to: "\(area.signInPath)?next=\(encoded)"))
        }
        guard session.hasAny(of: area.roles) else {
            throw PortalError(
                errorPage(
                    .forbidden,
                    title: "Not allowed",
                    message: "Your account cannot use the \(area.title). Ask an administrator for access.",
                    session: session,
                    area: area
                )
            )
        }
        return session
    }

    /// The `Set-Cookie` value that hands `session` to the browser.
    public func cookieHeader(for session: PortalSession) -> String {
        let maxAge = Int(configuration.absoluteTimeout)
        return "\(Self.cookieName)=\(session.id); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
            + (configuration.secureCookies ? "; Secure" : "")
    }

    /// The `Set-Cookie` value that removes the cookie.
    public func clearedCookieHeader() -> String {
        "\(Self.cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (configuration.secureCookies ? "; Secure" : "")
    }

    // MARK: - Forms

    /// The body of a state-changing request, checked against the session's CSRF token.
    /// - Throws: ``PortalError`` with a 403 page for a missing or wrong token or a cross-site request, 400 for a
    ///   body that is not a form, 413 for one over ``PortalConfiguration/maximumFormSize``.
    public func form(_ request: Request, session: PortalSession?, area: PortalArea) async throws -> PortalForm {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: configuration.maximumFormSize)
        } catch {
            throw PortalError(
                errorPage(.contentTooLarge, title: "Too large", message: "The form is too large.", session: session, area: area)
            )
        }
        let form: PortalForm
        do {
            form = try PortalForm(body: String(buffer: buffer))
        } catch {
            throw PortalError(
                errorPage(.badRequest, title: "Bad form", message: "The form could not be read.", session: session, area: area)
            )
        }
        guard CSRFProtection.isAllowed(request, form: form, session: session) else {
            logger.notice("Refused a portal form without a valid CSRF token", metadata: ["sluice.path": "\(request.uri.path)"])
            throw PortalError(
                errorPage(
                    .forbidden,
                    title: "Form expired",
                    message: "This form was not sent from a current page of this site. Reload the page and try again.",
                    session: session,
                    area: area
                )
            )
        }
        return form
    }

    // MARK: - Pages

    /// A page inside the shared layout.
    /// - Parameters:
    ///   - template: The page template (which extends `shared/layout`).
    ///   - title: The page's title.
    ///   - session: The browser's session (nil: anonymous); its flash message is shown and dropped.
    ///   - area: The portal the page belongs to (navigation, sign-in link).
    ///   - values: What the page template reads; `layout` and `csrf` are added.
    ///   - status: The response status.
    ///   - headers: More headers (`Set-Cookie`).
    public func page(
        _ template: String,
        title: String,
        session: PortalSession?,
        area: PortalArea,
        values: [String: Any] = [:],
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:]
    ) -> Response {
        let flash = session.flatMap { sessions.takeFlash(id: $0.id) }
        let navigation = PortalArea.allCases.filter { candidate in
            candidate == .store || (session.map { $0.isSignedIn && $0.hasAny(of: candidate.roles) } ?? false)
        }.map { PortalLayout.Link(label: $0.title, href: $0.path, current: $0 == area) }
        let layout = PortalLayout(
            pageTitle: title,
            areaTitle: area.title,
            areaPath: area.path,
            signedIn: session?.isSignedIn ?? false,
            username: session?.username ?? "",
            csrf: session?.csrfToken ?? "",
            navigation: navigation,
            flash: flash.map { PortalLayout.Flash(
                    message: $0.message, isError: $0.isError, details: $0.details, hasDetails: !$0.details.isEmpty
                ) },
            signInHref: area.signInPath
        )
        var object = values
        object["layout"] = layout
        object["csrf"] = session?.csrfToken ?? ""
        return renderer.render(template, object, status: status, headers: headers)
    }

    /// An error page inside the layout.
    public func errorPage(
        _ status: HTTPResponse.Status,
        title: String,
        message: String,
        session: PortalSession?,
        area: PortalArea
    ) -> Response {
        page(
            "shared/error",
            title: title,
            session: session,
            area: area,
            values: ["heading": title, "message": message, "homeHref": area.path],
            status: status
        )
    }

    /// 303 See Other to `location`, leaving `flash` for the next page of `session`.
    public func redirect(to location: String, flash: PortalSession.Flash? = nil, session: PortalSession?) -> Response {
        if let flash, let session { sessions.setFlash(flash, id: session.id) }
        return Self.redirect(to: location)
    }

    /// 303 See Other to `location`.
    public static func redirect(to location: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.location] = location
        fields[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: fields)
    }

    /// `next` when it is a path on this site (`/store/apis/1?x=y`), else `fallback`: no scheme, no host, no
    /// `//` or `/\` (which browsers read as another host), no control characters.
    public static func safeNext(_ next: String?, fallback: String) -> String {
        guard let next, next.hasPrefix("/"), next.count <= 2_000 else { return fallback }
        let second = next.dropFirst().first
        guard second != "/", second != "\\" else { return fallback }
        guard next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "\\" }) else {
            return fallback
        }
        return next
    }

    /// A cookie's value from the request's `Cookie` headers.
    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }
}
