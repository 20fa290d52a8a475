import Foundation
import OpenAPIKit30
package import SluiceModel
import SluiceStorage
import Yams

/// The Store's try-it console: turns what the user filled in (a resource of the API, its path with the parameters
/// filled, a query, headers, a body, and one of their applications subscribed to the API) into the call the portal
/// sends to the gateway, with a short-lived token of that application (the owner needs no secret, as for the
/// Store's token button).
///
/// Only calls to the API itself leave: the URL is the gateway's base URL, the API's context and version, and a path
/// that matches one of the API's resources for the chosen verb; hop-by-hop and credential headers the user typed are
/// refused, the token is the only credential sent.
package struct TryItService: Sendable {
    let services: APIManagerServices

    /// Creates the service.
    package init(services: APIManagerServices) {
        self.services = services
    }

    /// What the user filled in.
    package struct Form: Sendable, Hashable {
        /// `VERB /target` of one of the API's resources.
        package var resource: String
        /// The path below the API's context and version, with its parameters filled in (`/menu/42`).
        package var path: String
        /// `name=value&...`, without the `?`.
        package var query: String
        /// One `Name: value` per line.
        package var headers: String
        package var body: String
        package var applicationID: String
        package var keyType: KeyType

        /// Creates a form.
        package init(
            resource: String,
            path: String,
            query: String = "",
            headers: String = "",
            body: String = "",
            applicationID: String,
            keyType: KeyType = .production
        ) {
            self.resource = resource
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
            self.applicationID = applicationID
            self.keyType = keyType
        }
    }

    /// The call to send.
    package struct Call: Sendable, Hashable {
        package var method: String
        package var url: String
        /// The user's headers and `Authorization: Bearer <token>`.
        package var headers: [Header]
        package var body: Data?
    }

    /// One header line.
    package struct Header: Sendable, Hashable {
        package var name: String
        package var value: String
    }

    /// Headers the user may not set: the token is the call's only credential, and framing is the client's.
    static let refusedHeaders: Set<String> = [
        "authorization", "host", "content-length", "connection", "transfer-encoding", "upgrade", "te", "cookie",
        "proxy-authorization", "keep-alive", "trailer",
    ]

    /// How long the token issued for one try lives (the key manager takes no less than 301 s, as WSO2).
    static let tokenValiditySeconds: Int64 = 600

    /// The call for `form` against the API.
    /// - Parameter gatewayBaseURL: The gateway's base URL (`http://127.0.0.1:8280`).
    /// - Throws: ``ManagementError`` 404 for an API or application the caller may not see, 400 for a resource the
    ///   API does not have, a path that does not match it, bad headers, an application not subscribed to the API or
    ///   without keys.
    package func call(apiID: String, form: Form, gatewayBaseURL: String, principal: Principal) async throws -> Call {
        let api = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        let definition = api.stored.definition
        let parts = form.resource.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2,
            let operation = definition.effectiveOperations.first(where: {
                $0.verb.uppercased() == parts[0].uppercased() && $0.target == parts[1]
            })
        else {
            throw ManagementError.badRequest("Choose one of the API's resources")
        }
        let path = form.path.trimmingCharacters(in: .whitespaces)
        guard Self.path(path, matches: operation.target) else {
            throw ManagementError.badRequest(
                "The path \(path) does not match the resource \(operation.target): fill in its {parameters}"
            )
        }
        let subscriptions = try await SubscriberService(services: services).subscriptions(
            applicationID: form.applicationID,
            principal: principal
        )
        guard subscriptions.contains(where: { $0.apiID == apiID }) else {
            throw ManagementError.badRequest("Choose an application subscribed to this API")
        }
        var headers = try Self.headers(form.headers)
        guard try await services.keyManager.keys(applicationID: form.applicationID).contains(where: { $0.keyType == form.keyType })
        else {
            throw ManagementError.badRequest(
                "The application has no \(form.keyType.rawValue.lowercased()) keys yet: generate them on its page"
            )
        }
        let token = try await SubscriberService(services: services).token(
            applicationID: form.applicationID,
            keyType: form.keyType,
            consumerSecret: nil,
            validityPeriod: Self.tokenValiditySeconds,
            principal: principal
        )
        headers.append(Header(name: "Authorization", value: "Bearer \(token.accessToken)"))
        // The gateway URL the API's page shows: context, then version.
        var url = gatewayBaseURL + api.context + "/" + api.version + path
        let query = form.query.trimmingCharacters(in: .whitespaces)
        if !query.isEmpty {
            url += "?" + (query.hasPrefix("?") ? String(query.dropFirst()) : query)
                .addingPercentEncoding(withAllowedCharacters: Self.queryAllowed)!
        }
        let body = form.body.isEmpty ? nil : Data(form.body.utf8)
        return Call(method: operation.verb.uppercased(), url: url, headers: headers, body: body)
    }

    /// Characters a query keeps as typed: RFC 3986's query characters (`&` and `=` included), `%` for what the
    /// user escaped already.
    private static let queryAllowed: CharacterSet = {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "#")
        allowed.insert("%")
        return allowed
    }()

    /// Whether `path` is `target` with its `{parameters}` filled in (one non-empty segment each; `/*` takes the
    /// rest), and stays a plain path: no `..`, query or fragment.
    package static func path(_ path: String, matches target: String) -> Bool {
        guard path.hasPrefix("/"), !path.contains("?"), !path.contains("#"), !path.contains(" ") else { return false }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard !segments.contains(where: { $0 == ".." || $0 == "." }) else { return false }
        let patterns = target.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var given = segments.makeIterator()
        for pattern in patterns {
            if pattern == "*" { return true }
            guard let segment = given.next() else { return false }
            if pattern.hasPrefix("{") && pattern.hasSuffix("}") {
                guard !segment.isEmpty, !segment.contains("{") else { return false }
            } else if pattern != segment {
                return false
            }
        }
        return given.next() == nil
    }

    /// The `Name: value` lines as headers.
    static func headers(_ text: String) throws(ManagementError) -> [Header] {
        var headers: [Header] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw ManagementError.badRequest("Write each header as Name: value (\(trimmed))")
            }
            let name = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let token = CharacterSet(charactersIn: "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(token.contains) else {
                throw ManagementError.badRequest("\(name) is not a header name")
            }
            guard !refusedHeaders.contains(name.lowercased()) else {
                throw ManagementError.badRequest("The \(name) header is set by the console, not by hand")
            }
            headers.append(Header(name: name, value: value))
        }
        return headers
    }

    /// The API's OpenAPI document in YAML (the JSON one re-encoded through OpenAPIKit).
    /// - Throws: ``ManagementError`` 404 when the caller may not see the API.
    package func openAPIYAML(apiID: String, principal: Principal?) async throws -> String {
        let json = try await StoreCatalogService(services: services).openAPIDocument(apiID: apiID, principal: principal)
        do {
            let document = try JSONDecoder().decode(OpenAPI.Document.self, from: json)
            return try YAMLEncoder().encode(document)
        } catch {
            throw ManagementError.internalError("The OpenAPI document could not be written as YAML")
        }
    }
}
