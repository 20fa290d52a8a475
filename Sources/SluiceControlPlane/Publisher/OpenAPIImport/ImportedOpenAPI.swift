import Foundation
package import SluiceArtifacts
package import SluiceModel

/// What an OpenAPI or Swagger document says about the API it describes: the basis of an API created from it (the
/// publisher's `import-openapi`, the portal, `sluice api create --oas`) and the summary `validate-openapi` returns.
package struct ImportedOpenAPI: Sendable {
    /// `2.0`, `3.0.3`, `3.1.0`...
    package var openAPIVersion: String
    /// `info.title`.
    package var title: String
    /// `info.version`.
    package var version: String
    /// `info.description`.
    package var description: String?
    /// The server URLs (Swagger 2.0: `schemes`, `host` and `basePath`).
    package var endpoints: [String]
    /// The path of the first server URL (Swagger 2.0: `basePath`), if any.
    package var context: String?
    /// One operation per path and verb, with the auth type (`x-auth-type`, else from `security`: an empty list is
    /// `None`), `x-throttling-tier` and the scopes of its security requirements.
    package var operations: [APIOperation]
    /// The scopes the security schemes' flows declare, with their roles from `x-scopes-bindings`.
    package var scopes: [APIScope] = []

    /// The API's name when none is given: the title without spaces and characters an API name cannot have.
    package var suggestedName: String {
        let name = String(title.unicodeScalars.filter { CharacterSet.apiName.contains($0) })
        return name.isEmpty ? "ImportedAPI" : name
    }
}

extension CharacterSet {
    /// Letters, digits, `_`, `-` and `.`.
    fileprivate static let apiName = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_-."))
}
