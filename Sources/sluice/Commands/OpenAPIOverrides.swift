import ArgumentParser
import Foundation

/// What an API created from an OpenAPI document takes from the command line instead of the document: WSO2's
/// `additionalProperties` of `import-openapi`.
struct OpenAPIOverrides: ParsableArguments {
    @Option(name: .long, help: "The API's name (default: the document's title without spaces).")
    var name: String?

    @Option(name: .long, help: "The API's version (default: info.version).")
    var apiVersion: String?

    @Option(name: .long, help: "The API's context (default: the first server's path, else /<name>).")
    var context: String?

    @Option(name: .long, help: "The backend URL (default: the document's first server URL).")
    var endpoint: String?

    /// The overrides as `additionalProperties` JSON, nil when there are none.
    func additionalProperties() throws -> [UInt8]? {
        var fields: [String: Any] = [:]
        if let name { fields["name"] = name }
        if let apiVersion { fields["version"] = apiVersion }
        if let context { fields["context"] = context }
        if let endpoint {
            fields["endpointConfig"] = [
                "endpoint_type": "http", "production_endpoints": ["url": endpoint], "sandbox_endpoints": ["url": endpoint],
            ]
        }
        guard !fields.isEmpty else { return nil }
        return Array(try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]))
    }
}
