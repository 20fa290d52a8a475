internal import SluiceModel
internal import SluiceXML

extension XMLWriter {
    /// `<authentication>` of an `<http>` endpoint, when it has one: `<basicAuth>` or `<oauth>` with its grant.
    func authentication(of http: HTTPEndpoint) {
        if let basic = http.authentication {
            element("authentication") {
                element("basicAuth") {
                    setting("username", basic.username)
                    setting("password", basic.password)
                }
            }
        } else if let oauth = http.oauth {
            element("authentication") {
                element("oauth") {
                    element(oauth.grant.elementName) { grant(oauth) }
                }
            }
        }
    }

    /// The grant's settings in the order WSO2's serializer writes them.
    private func grant(_ oauth: EndpointOAuth) {
        switch oauth.grant {
        case .clientCredentials:
            break
        case .password(let username, let password):
            setting("username", username)
            setting("password", password)
        case .authorizationCode(let refreshToken):
            setting("refreshToken", refreshToken)
        }
        setting("clientId", oauth.clientID)
        setting("clientSecret", oauth.clientSecret)
        setting("tokenUrl", oauth.tokenURL)
        if let flag = oauth.useGlobalConnectionTimeoutConfigs {
            textElement("useGlobalConnectionTimeoutConfigs", String(flag))
        }
        if let flag = oauth.useGlobalProxyConfigs { textElement("useGlobalProxyConfigs", String(flag)) }
        if !oauth.requestParameters.isEmpty {
            element("requestParameters") {
                for parameter in oauth.requestParameters { setting("parameter", parameter.value, name: parameter.name) }
            }
        }
        if !oauth.customHeaders.isEmpty {
            element("customHeaders") {
                for header in oauth.customHeaders { setting("header", header.value, name: header.name) }
            }
        }
        if let authMode = oauth.authMode { setting("authMode", authMode) }
        if let timeout = oauth.connectionTimeout { textElement("connectionTimeout", String(timeout)) }
        if let timeout = oauth.connectionRequestTimeout { textElement("connectionRequestTimeout", String(timeout)) }
        if let timeout = oauth.socketTimeout { textElement("socketTimeout", String(timeout)) }
    }

    /// `<name [name=]>text</name>`, or `{expression}` with the prefixes it uses declared.
    private func setting(_ element: String, _ value: ValueSource, name: String? = nil) {
        switch value {
        case .literal(let text):
            textElement(element, ["name": name], text)
        case .expression(let expression):
            textElement(element, ["name": name], "{" + expression.source + "}", namespaces: expression.namespaces)
        }
    }
}
