import Foundation
import HTTPTypes
import Hummingbird
import SluiceControlPlane
import SluiceKeyManager
import SluiceXML

/// `/oauth2/authorize` (RFC 6749 §4.1, RFC 7636): the sign-in and consent page, and its answer, a redirect to the
/// application's callback URL with a single-use code.
extension OAuth2Controller {
    /// The parameters of the request the page carries along.
    private static let carried = [
        "response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method",
    ]

    /// GET: checks the request and shows the page; a request that cannot go back to the client gets an error page.
    func authorizationPage(_ request: Request) async -> Response {
        await answer {
            let parameters = try Self.parameters(request.uri.query ?? "")
            let authorization = Self.authorizationRequest(parameters)
            _ = try await keyManager.checkAuthorization(authorization)
            return Self.page(parameters, clientID: authorization.clientID ?? "", message: nil)
        }
    }

    /// POST: signs the user in; a code goes to the callback URL, a wrong password shows the page again.
    func authorizationDecision(_ request: Request) async -> Response {
        await answer {
            let form: FormParameters
            do {
                form = try await formParameters(request)
            } catch let error as OAuth2Error {
                throw AuthorizationError(redirectURI: nil, error: error)
            }
            let authorization = Self.authorizationRequest(form)
            if form["deny"] != nil {
                let callback = try await keyManager.checkAuthorization(authorization)
                var parameters = [("error", "access_denied"), ("error_description", "The resource owner denied the request")]
                if let state = authorization.state { parameters.append(("state", state)) }
                return Self.redirect(KeyManager.redirect(callback, parameters))
            }
            guard let username = form["username"], let password = form["password"],
                let location = try await keyManager.authorize(
                    authorization, username: username, password: password, from: ClientAddress.current
                )
            else {
                _ = try await keyManager.checkAuthorization(authorization)
                return Self.page(form, clientID: authorization.clientID ?? "", message: "Wrong username or password.")
            }
            return Self.redirect(location)
        }
    }

    private func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as AuthorizationError {
            guard let callback = error.redirectURI else {
                return Self.errorPage(error.error.description, status: .badRequest)
            }
            return Self.redirect(
                KeyManager.redirect(
                    callback, [("error", error.error.code.rawValue), ("error_description", error.error.description)]
                )
            )
        } catch let error as LoginThrottled {
            var response = Self.errorPage(error.description, status: .tooManyRequests)
            response.headers[.retryAfter] = String(error.retryAfter)
            return response
        } catch {
            logger.error("Authorization request failed", metadata: ["sluice.error": "\(String(describing: type(of: error)))"])
            return Self.errorPage("The server could not complete the request.", status: .internalServerError)
        }
    }

    private static func parameters(_ query: String) throws -> FormParameters {
        do {
            return try FormParameters(body: query)
        } catch .duplicated(let name) {
            throw AuthorizationError(redirectURI: nil, error: OAuth2Error(.invalidRequest, "The parameter \(name) is repeated"))
        } catch {
            throw AuthorizationError(redirectURI: nil, error: OAuth2Error(.invalidRequest, "The query is not valid"))
        }
    }

    private static func authorizationRequest(_ parameters: FormParameters) -> AuthorizationRequest {
        AuthorizationRequest(
            responseType: parameters["response_type"],
            clientID: parameters["client_id"],
            redirectURI: parameters["redirect_uri"],
            scopes: parameters["scope"].map { $0.split(separator: " ").map(String.init) },
            state: parameters["state"],
            codeChallenge: parameters["code_challenge"],
            codeChallengeMethod: parameters["code_challenge_method"]
        )
    }

    private static func redirect(_ location: String) -> Response {
        Response(status: .found, headers: [.location: location, .cacheControl: "no-store"])
    }

    private static func page(_ parameters: FormParameters, clientID: String, message: String?) -> Response {
        let hidden = carried.compactMap { name in
            parameters[name].map {
                #"<input type="hidden" name="\#(name)" value="\#(XMLEscaping.attribute($0))">"#
            }
        }
        let scope = parameters["scope"].map { "<p>Requested scopes: <code>\(XMLEscaping.text($0))</code></p>" } ?? ""
        let notice = message.map { #"<p role="alert">\#(XMLEscaping.text($0))</p>"# } ?? ""
        let body = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Sign in to authorize</title></head>
            <body><main>
            <h1>Authorize an application</h1>
            <p>The application with client id <code>\(XMLEscaping.text(clientID))</code> asks to act on your behalf.</p>
            \(scope)\(notice)
            <form method="post" action="/oauth2/authorize">
            \(hidden.joined(separator: "\n"))
            <label>Username <input name="username" autocomplete="username" required></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit" name="approve" value="1">Sign in and allow</button>
            <button type="submit" name="deny" value="1" formnovalidate>Deny</button>
            </form>
            </main></body></html>
            """
        return html(body, status: .ok)
    }

    private static func errorPage(_ message: String, status: HTTPResponse.Status) -> Response {
        html(
            """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Authorization failed</title></head>
            <body><main><h1>Authorization failed</h1><p>\(XMLEscaping.text(message))</p></main></body></html>
            """,
            status: status
        )
    }

    private static let frameOptions = HTTPField.Name("X-Frame-Options")!

    private static func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html;charset=UTF-8", .cacheControl: "no-store",
                // The page takes a password: no framing (clickjacking), no scripts, forms post only here.
                .contentSecurityPolicy: "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
                Self.frameOptions: "DENY",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}
