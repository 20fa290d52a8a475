import Foundation
import OpenAPIKit
import OpenAPIKit30
import OpenAPIKitCompat

/// OpenAPI 3.0 documents, read with OpenAPIKit30 and converted to OpenAPIKit's 3.1 model (OpenAPIKitCompat), so
/// the import reads every version through one model.
enum OpenAPI30Decoder {
    /// - Throws: ``OpenAPIImportError`` at the path OpenAPIKit names.
    static func decode(_ json: Data) throws(OpenAPIImportError) -> OpenAPIKit.OpenAPI.Document {
        do {
            let document = try JSONDecoder().decode(OpenAPIKit30.OpenAPI.Document.self, from: json)
            return document.convert(to: .v3_1_0)
        } catch {
            let readable = OpenAPIKit30.OpenAPI.Error(from: error)
            throw OpenAPIImportError(path: OpenAPIDocumentReader.dotted(readable.codingPath), readable.localizedDescription)
        }
    }
}
