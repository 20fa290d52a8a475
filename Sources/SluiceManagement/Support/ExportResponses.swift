import Foundation
import Hummingbird
import SluiceControlPlane

extension Request {
    /// WSO2's `format` of the export operations: `YAML` (the default) or `JSON`.
    /// - Throws: ``ManagementError`` 400 for another value.
    func exportFormat() throws(ManagementError) -> APIProject.Format {
        switch query("format")?.uppercased() {
        case nil, "YAML": .yaml
        case "JSON": .json
        case let other?: throw ManagementError.badRequest("format must be YAML or JSON, not \(other)")
        }
    }
}

extension Response {
    /// A download: `data` with its type and `Content-Disposition: attachment` naming `fileName`.
    static func attachment(_ data: Data, fileName: String, contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentDisposition] = "attachment; filename=\"\(DocumentsController.safeFileName(fileName))\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A 200 answer of plain text, as WSO2's import operations answer.
    static func plainText(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
