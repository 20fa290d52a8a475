/// A problem of an imported OpenAPI or Swagger document, with where in the document it is (`paths./orders.get`).
package struct OpenAPIImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The location in the document, dotted (`paths./menu.get.responses`); empty for the whole document.
    package var path: String
    /// What is wrong there.
    package var message: String

    package init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`, or the message alone for the whole document.
    package var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
