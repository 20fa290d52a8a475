/// One token request of an OAuth endpoint, resolved for a message: posted as a form to `url`.
package struct OAuthTokenRequest: Sendable {
    /// Why a token could not be had; its text goes into the fault's `ERROR_MESSAGE`, so it never holds a secret.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package let description: String

        package init(_ description: String) {
            self.description = description
        }
    }

    package let url: UpstreamURL
    /// `application/x-www-form-urlencoded`.
    package let body: String
    /// The custom headers and the client's `Authorization: Basic`.
    package let headers: [(name: String, value: String)]
    /// Everything that makes the request: tokens are cached by it, as WSO2 caches them by a hash of the same.
    package let cacheKey: String

    init(url: UpstreamURL, body: String, headers: [(name: String, value: String)]) {
        self.url = url
        self.body = body
        self.headers = headers
        var key = url.scheme + "://" + url.hostHeader + url.target + "\n" + body
        for header in headers { key += "\n" + header.name + ":" + header.value }
        self.cacheKey = key
    }
}
