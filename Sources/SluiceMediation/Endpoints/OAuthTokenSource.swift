import NIOCore
import SluiceModel

/// An `<http>` endpoint's `<oauth>` ready to use: the token request built once at deploy time when every setting is
/// text (the usual case), or from the message when one is a `{expression}`; and the endpoint's token cache.
///
/// The request is WSO2's (`OAuthHandler` and its grant handlers): a form POST of `grant_type` and the grant's fields,
/// the client's credentials as HTTP Basic (or in the form with `authMode` `payload`), then the request parameters,
/// with the custom headers. Sluice percent-encodes the form values, which WSO2 sends as written.
package final class OAuthTokenSource: Sendable {
    /// The endpoint's name as faults print it.
    package let endpointName: String
    /// `<socketTimeout>`: how long the token endpoint may take to answer (nil: the gateway's endpoint timeout).
    package let responseTimeout: TimeAmount?
    /// The tokens this endpoint got.
    package let cache = OAuthTokenCache()
    private let settings: Settings
    /// The request when no setting depends on the message.
    private let fixed: OAuthTokenRequest?

    init(_ oauth: EndpointOAuth, endpointName: String?, location: SourceLocation?) throws(MediationCompileError) {
        let name = endpointName ?? "AnonymousEndpoint"
        self.endpointName = name
        self.responseTimeout = oauth.socketTimeout.flatMap { $0 > 0 ? .milliseconds(Int64($0)) : nil }
        let settings = try Settings(oauth, endpointName: name, location: location)
        self.settings = settings
        if settings.usesExpressions {
            fixed = nil
        } else {
            var unused = MessageContext(method: "", requestPath: "")
            do throws(MediationFault) {
                fixed = try settings.build(&unused)
            } catch {
                throw MediationCompileError(
                    .invalidConfiguration(className: "<oauth> of endpoint \(name)", reason: error.message),
                    location: location
                )
            }
        }
    }

    /// The token request for this message.
    package func request(for context: inout MessageContext) throws(MediationFault) -> OAuthTokenRequest {
        if let fixed { return fixed }
        return try settings.build(&context)
    }

    /// The fault a failed token request raises (WSO2's `ENDPOINT_AUTH_FAILURE`, 303003).
    package func fault(_ error: any Error) -> MediationFault {
        Settings.fault(error, endpointName: endpointName)
    }
}

extension OAuthTokenSource {
    /// The compiled settings.
    private struct Settings: Sendable {
        enum Part: Sendable {
            case text(String)
            case expression(CompiledExpression)
        }

        enum Grant: Sendable {
            case clientCredentials
            case password(username: Part, password: Part)
            case authorizationCode(refreshToken: Part)
        }

        let endpointName: String
        let grant: Grant
        let tokenURL: Part
        let clientID: Part
        let clientSecret: Part
        let authMode: Part?
        let parameters: [(name: String, value: Part)]
        let headers: [(name: String, value: Part)]

        init(_ oauth: EndpointOAuth, endpointName: String, location: SourceLocation?) throws(MediationCompileError) {
            func part(_ value: ValueSource) throws(MediationCompileError) -> Part {
                switch value {
                case .literal(let text): .text(text)
                case .expression(let expression): .expression(try CompiledExpression(expression, location: location))
                }
            }
            self.endpointName = endpointName
            switch oauth.grant {
            case .clientCredentials:
                grant = .clientCredentials
            case .password(let username, let password):
                grant = .password(username: try part(username), password: try part(password))
            case .authorizationCode(let refreshToken):
                grant = .authorizationCode(refreshToken: try part(refreshToken))
            }
            tokenURL = try part(oauth.tokenURL)
            clientID = try part(oauth.clientID)
            clientSecret = try part(oauth.clientSecret)
            authMode = try oauth.authMode.map { value throws(MediationCompileError) in try part(value) }
            var parameters: [(name: String, value: Part)] = []
            for parameter in oauth.requestParameters { parameters.append((parameter.name, try part(parameter.value))) }
            self.parameters = parameters
            var headers: [(name: String, value: Part)] = []
            for header in oauth.customHeaders { headers.append((header.name, try part(header.value))) }
            self.headers = headers
        }

        static func fault(_ error: any Error, endpointName: String) -> MediationFault {
            MediationFault(
                code: SynapseErrorCode.endpointAuthenticationFailure,
                message: "Could not generate access token for oauth configured http endpoint \(endpointName). \(error)"
            )
        }

        var usesExpressions: Bool {
            var parts = [tokenURL, clientID, clientSecret] + parameters.map(\.value) + headers.map(\.value)
            if let authMode { parts.append(authMode) }
            switch grant {
            case .clientCredentials: break
            case .password(let username, let password): parts += [username, password]
            case .authorizationCode(let refreshToken): parts.append(refreshToken)
            }
            return parts.contains { if case .expression = $0 { true } else { false } }
        }

        func build(_ context: inout MessageContext) throws(MediationFault) -> OAuthTokenRequest {
            func text(_ part: Part) throws(MediationFault) -> String {
                switch part {
                case .text(let text): text
                case .expression(let expression): try expression.string(&context) ?? ""
                }
            }
            let urlText = try text(tokenURL)
            guard let url = UpstreamURL(urlText) else {
                throw Self.fault(
                    OAuthTokenRequest.Failure("the token URL '\(urlText)' is not an http:// or https:// URL"),
                    endpointName: endpointName
                )
            }
            var form: [(String, String)]
            switch grant {
            case .clientCredentials:
                form = [("grant_type", "client_credentials")]
            case .password(let username, let password):
                form = [("grant_type", "password"), ("username", try text(username)), ("password", try text(password))]
            case .authorizationCode(let refreshToken):
                form = [("grant_type", "refresh_token"), ("refresh_token", try text(refreshToken))]
            }
            let id = try text(clientID)
            let secret = try text(clientSecret)
            var inPayload = false
            if let authMode { inPayload = try text(authMode).lowercased() == "payload" }
            if inPayload { form += [("client_id", id), ("client_secret", secret)] }
            for parameter in parameters { form.append((parameter.name, try text(parameter.value))) }
            var fields: [(name: String, value: String)] = []
            for header in headers { fields.append((header.name, try text(header.value))) }
            if !inPayload { fields.append(("Authorization", "Basic " + Base64.encode(Array((id + ":" + secret).utf8)))) }
            let body = form.map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }
                .joined(separator: "&")
            return OAuthTokenRequest(url: url, body: body, headers: fields)
        }
    }
}
