import SluiceModel

/// An `<http>` endpoint's `<basicAuth>` ready to use: the `Authorization` value built once at deploy time when both
/// values are text, or the expressions to evaluate per message.
package struct EndpointCredentials: Sendable {
    private enum Form: Sendable {
        case fixed(String)
        case evaluated(username: Part, password: Part)
    }

    private enum Part: Sendable {
        case text(String)
        case expression(CompiledExpression)
    }

    private let form: Form

    init(_ authentication: EndpointAuthentication, location: SourceLocation?) throws(MediationCompileError) {
        func part(_ value: ValueSource) throws(MediationCompileError) -> Part {
            switch value {
            case .literal(let text): .text(text)
            case .expression(let expression): .expression(try CompiledExpression(expression, location: location))
            }
        }
        switch (try part(authentication.username), try part(authentication.password)) {
        case (.text(let username), .text(let password)):
            form = .fixed(Self.header(username: username, password: password))
        case (let username, let password):
            form = .evaluated(username: username, password: password)
        }
    }

    /// `Basic base64(username:password)`, as WSO2's `BasicAuthHandler` writes it.
    private static func header(username: String, password: String) -> String {
        "Basic " + Base64.encode(Array((username + ":" + password).utf8))
    }

    /// The `Authorization` value for this message.
    func authorization(_ context: inout MessageContext) throws(MediationFault) -> String {
        switch form {
        case .fixed(let value):
            return value
        case .evaluated(let username, let password):
            func text(_ part: Part) throws(MediationFault) -> String {
                switch part {
                case .text(let text): return text
                case .expression(let expression): return try expression.string(&context) ?? ""
                }
            }
            return Self.header(username: try text(username), password: try text(password))
        }
    }
}

extension MessageContext {
    /// Puts the endpoint's credentials on the message's transport headers (replacing an `Authorization` header the
    /// client sent), where WSO2's `BasicAuthHandler` puts them: they stay on the message after the call.
    package mutating func applyEndpointCredentials(_ credentials: EndpointCredentials) throws(MediationFault) {
        headers.replaceOrAdd(name: "Authorization", value: try credentials.authorization(&self))
    }
}
