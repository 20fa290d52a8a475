internal import SluiceModel
internal import SluiceXML

extension ArtifactReader {
    /// What an `<http>` endpoint's `<authentication>` holds.
    enum HTTPAuthentication {
        case basic(EndpointAuthentication)
        case oauth(EndpointOAuth)
    }

    /// `<authentication>` of an `<http>` endpoint: `<basicAuth>` with `<username>` and `<password>`, or `<oauth>`
    /// with one grant (WSO2's `HTTPEndpointFactory` and `OAuthUtils.getSpecificOAuthHandler`). Values are text or a
    /// `{expression}`.
    func readAuthentication(_ element: XMLElementNode) -> HTTPAuthentication? {
        ignoreText(in: element)
        var oauth: XMLElementNode?
        var basic: XMLElementNode?
        for child in element.childElements {
            if oauth == nil, isSynapse(child, named: "oauth") {
                oauth = child
            } else if basic == nil, isSynapse(child, named: "basicAuth") {
                basic = child
            } else {
                reportUnknown(child, in: element)
            }
        }
        switch (basic, oauth) {
        case (let basic?, nil):
            return readBasicAuth(basic).map { .basic($0) }
        case (nil, let oauth?):
            return readOAuth(oauth).map { .oauth($0) }
        case (.some, .some):
            report("<authentication> takes a <basicAuth> or an <oauth>, not both", at: element)
            return nil
        case (nil, nil):
            report("<authentication> needs a <basicAuth> or an <oauth> element", at: element)
            return nil
        }
    }

    private func readBasicAuth(_ basic: XMLElementNode) -> EndpointAuthentication? {
        var values: [String: ValueSource] = [:]
        forEachSetting(of: basic) { name, text, child in
            guard name == "username" || name == "password" else {
                reportUnknown(child, in: basic)
                return
            }
            if let value = settingValue(text, named: name, of: child) { values[name] = value }
        }
        guard let username = values["username"], let password = values["password"] else {
            report("<basicAuth> needs a <username> and a <password>", at: basic)
            return nil
        }
        return EndpointAuthentication(username: username, password: password)
    }

    /// `<oauth>` with exactly one of `<clientCredentials>`, `<passwordCredentials>`, `<authorizationCode>`.
    private func readOAuth(_ element: XMLElementNode) -> EndpointOAuth? {
        ignoreText(in: element)
        let grants = ["clientCredentials", "passwordCredentials", "authorizationCode"]
        var found: [XMLElementNode] = []
        for child in element.childElements {
            if isSynapseNamespace(child), grants.contains(child.localName) {
                found.append(child)
            } else {
                reportUnknown(child, in: element)
            }
        }
        guard found.count == 1, let grant = found.first else {
            report(
                found.isEmpty
                    ? "<oauth> needs one of <clientCredentials>, <passwordCredentials> or <authorizationCode>"
                    : "<oauth> takes one grant; it has \(found.map { "<\($0.localName)>" }.joined(separator: ", "))",
                at: element
            )
            return nil
        }
        return readOAuthGrant(grant)
    }

    private func readOAuthGrant(_ element: XMLElementNode) -> EndpointOAuth? {
        let valueNames: Set<String> = [
            "clientId", "clientSecret", "tokenUrl", "authMode", "username", "password", "refreshToken",
        ]
        let timeoutNames: Set<String> = ["connectionTimeout", "connectionRequestTimeout", "socketTimeout"]
        var values: [String: ValueSource] = [:]
        var timeouts: [String: Int] = [:]
        var flags: [String: Bool] = [:]
        var parameters: [NamedValue] = []
        var headers: [NamedValue] = []
        var ok = true
        ignoreText(in: element)
        for child in element.childElements {
            guard isSynapseNamespace(child) else {
                reportUnknown(child, in: element)
                continue
            }
            let name = child.localName
            let text = child.textContent.trimmingSpaces()
            switch name {
            case _ where valueNames.contains(name):
                rejectChildren(of: child)
                guard !text.isEmpty else {
                    report("<\(name)> of <\(element.localName)> is empty", at: child)
                    ok = false
                    continue
                }
                if let value = settingValue(text, named: name, of: child) { values[name] = value } else { ok = false }
            case _ where timeoutNames.contains(name):
                rejectChildren(of: child)
                if let milliseconds: Int = integer(text, named: name, in: child) {
                    timeouts[name] = milliseconds
                } else {
                    ok = false
                }
            case "useGlobalConnectionTimeoutConfigs", "useGlobalProxyConfigs":
                rejectChildren(of: child)
                switch text.lowercased() {
                case "true": flags[name] = true
                case "false": flags[name] = false
                default:
                    report("<\(name)> must be true or false, not '\(text)'", at: child)
                    ok = false
                }
            case "requestParameters":
                guard let read = namedValues(of: child, itemName: "parameter") else {
                    ok = false
                    continue
                }
                parameters = read
            case "customHeaders":
                guard let read = namedValues(of: child, itemName: "header") else {
                    ok = false
                    continue
                }
                headers = read
            case "proxyConfigs":
                report(
                    "<proxyConfigs> of an <oauth> grant is not supported: Sluice's gateway reaches the token "
                        + "endpoint directly, not through an HTTP proxy",
                    at: child
                )
                ok = false
            default:
                reportUnknown(child, in: element)
            }
        }
        var required = ["clientId", "clientSecret", "tokenUrl"]
        let grant: EndpointOAuth.Grant?
        switch element.localName {
        case "passwordCredentials":
            required += ["username", "password"]
            grant = values["username"].flatMap { username in
                values["password"].map { EndpointOAuth.Grant.password(username: username, password: $0) }
            }
        case "authorizationCode":
            required += ["refreshToken"]
            grant = values["refreshToken"].map { EndpointOAuth.Grant.authorizationCode(refreshToken: $0) }
        default:
            grant = .clientCredentials
        }
        for name in ["username", "password", "refreshToken"] where values[name] != nil && !required.contains(name) {
            report("<\(name)> does not belong to <\(element.localName)>", at: element)
            ok = false
        }
        let missing = required.filter { values[$0] == nil }
        if !missing.isEmpty {
            report(
                "<\(element.localName)> needs " + missing.map { "<\($0)>" }.joined(separator: ", "),
                at: element
            )
            return nil
        }
        guard ok, let grant, let tokenURL = values["tokenUrl"], let clientID = values["clientId"],
            let clientSecret = values["clientSecret"]
        else { return nil }
        if case .literal(let url) = tokenURL, UpstreamURL(url) == nil {
            report("<tokenUrl> '\(url)' is not an http:// or https:// URL", at: element)
            return nil
        }
        return EndpointOAuth(
            grant: grant,
            tokenURL: tokenURL,
            clientID: clientID,
            clientSecret: clientSecret,
            authMode: values["authMode"],
            requestParameters: parameters,
            customHeaders: headers,
            connectionTimeout: timeouts["connectionTimeout"],
            connectionRequestTimeout: timeouts["connectionRequestTimeout"],
            socketTimeout: timeouts["socketTimeout"],
            useGlobalConnectionTimeoutConfigs: flags["useGlobalConnectionTimeoutConfigs"],
            useGlobalProxyConfigs: flags["useGlobalProxyConfigs"]
        )
    }

    /// `<requestParameters><parameter name="n">value</parameter>...` or `<customHeaders><header name=>`: a name and
    /// a value that are not blank, as WSO2 requires.
    private func namedValues(of element: XMLElementNode, itemName: String) -> [NamedValue]? {
        ignoreText(in: element)
        var items: [NamedValue] = []
        var ok = true
        for child in element.childElements {
            guard isSynapse(child, named: itemName) else {
                reportUnknown(child, in: element)
                continue
            }
            rejectChildren(of: child)
            let text = child.textContent.trimmingSpaces()
            guard let name = child.attribute("name"), !name.trimmingSpaces().isEmpty, !text.isEmpty else {
                report("<\(itemName)> of <\(element.localName)> needs a 'name' and a value", at: child)
                ok = false
                continue
            }
            guard let value = settingValue(text, named: name, of: child) else {
                ok = false
                continue
            }
            items.append(NamedValue(name: name, value: value))
        }
        return ok ? items : nil
    }

    /// A setting's text: a `{expression}` evaluated per message, or literal text.
    private func settingValue(_ text: String, named name: String, of child: XMLElementNode) -> ValueSource? {
        guard let source = DynamicKey.expressionText(text) else { return .literal(text) }
        return expression(source, attribute: name, of: child).map { .expression($0) }
    }
}
