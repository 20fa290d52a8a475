public import HTTPTypes
import Foundation
public import Hummingbird
public import Mustache

/// Renders the portals' pages from templates compiled into the binary (`SharedTemplates`, `StoreTemplates`,
/// `PublisherTemplates`, `AdminTemplates`): no file is read at run time.
///
/// `{{x}}` escapes `<`, `>`, `&`, `"` and `'`; `{{{x}}}` is only for markup the server built itself (SVG charts).
public struct PortalRenderer: Sendable {
    /// The headers every page carries: a strict content security policy (no inline script or style, no
    /// third-party anything), no MIME sniffing, no framing, no referrer to other sites, and no caching (pages
    /// may show a consumer secret).
    public static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy:
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("X-Frame-Options")!: "DENY",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
        .cacheControl: "no-store",
    ]

    /// A template that does not parse.
    public struct TemplateError: Error, CustomStringConvertible {
        public var name: String
        public var reason: String
        public var description: String { "The template \(name) does not parse: \(reason)" }
    }

    public let library: MustacheLibrary

    /// Compiles templates.
    /// - Parameter templates: Template name → mustache text.
    /// - Throws: ``TemplateError`` naming the template.
    public init(templates: [String: String]) throws {
        var library = MustacheLibrary()
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            do {
                let template = try MustacheTemplate(string: Self.dottedReferences(in: text))
                library.register(template, named: name)
                library.register(template, named: Self.dotted(name))
            } catch {
                throw TemplateError(name: name, reason: "\(error)")
            }
        }
        self.library = library
    }

    /// swift-mustache reads no `/` in a closing tag, so `{{<shared/layout}}...{{/shared/layout}}` cannot parse
    /// as written: parent and partial references are rewritten to dotted names (`shared.layout`), under which
    /// every template is registered too.
    static func dottedReferences(in text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            result += rest[..<open.lowerBound]
            rest = rest[open.lowerBound...]
            guard let close = rest.range(of: "}}") else { break }
            var tag = String(rest[..<close.upperBound])
            let sigil = tag.dropFirst(2).first
            if sigil == "<" || sigil == "/" || sigil == ">" {
                tag = "{{" + String(sigil!) + dotted(String(tag.dropFirst(3).dropLast(2))) + "}}"
            }
            result += tag
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    static func dotted(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "/", with: ".")
    }

    /// The HTML of a template, or nil when no template has that name.
    public func html(_ template: String, _ object: Any) -> String? {
        library.render(object, withTemplate: template)
    }

    /// A page: `text/html; charset=utf-8` with ``securityHeaders``.
    /// - Parameters:
    ///   - template: The template name (`store/home`).
    ///   - object: What the template reads.
    ///   - status: The response status.
    ///   - headers: More headers (`Set-Cookie`).
    public func render(
        _ template: String,
        _ object: Any,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:]
    ) -> Response {
        guard let html = html(template, object) else {
            return Response(
                status: .internalServerError,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "The page \(template) is missing"))
            )
        }
        var fields = Self.securityHeaders
        fields[.contentType] = "text/html; charset=utf-8"
        fields.append(contentsOf: headers)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
