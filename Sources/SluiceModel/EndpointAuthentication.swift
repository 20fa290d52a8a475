/// `<authentication><basicAuth><username>u</username><password>p</password></basicAuth></authentication>` of an
/// `<http>` endpoint (WSO2 Micro Integrator 4.x's `HTTPEndpointFactory`): every request sent to the endpoint
/// carries `Authorization: Basic base64(username:password)`. Either value may be a `{expression}` evaluated per
/// message (WSO2's `OAuthUtils.resolveExpression`).
public struct EndpointAuthentication: Sendable, Hashable, CustomStringConvertible {
    public var username: ValueSource
    public var password: ValueSource

    public init(username: ValueSource, password: ValueSource) {
        self.username = username
        self.password = password
    }

    /// Never shows the password, so diagnostics and logs that print an endpoint do not leak it.
    public var description: String {
        let user =
            switch username {
            case .literal(let text): text
            case .expression(let expression): "{" + expression.source + "}"
            }
        return "basicAuth(username: \(user), password: <hidden>)"
    }
}
