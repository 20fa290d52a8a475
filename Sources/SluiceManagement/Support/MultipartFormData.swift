import Foundation
import Hummingbird
import SluiceControlPlane

/// A `multipart/form-data` body (RFC 7578), as WSO2's publisher takes API definitions and document files.
package struct MultipartFormData: Sendable {
    /// One field or file.
    package struct Part: Sendable {
        var name: String
        var fileName: String?
        var contentType: String?
        var body: Data

        package var text: String? { String(data: body, encoding: .utf8) }
    }

    package var parts: [Part]

    /// The first part named `name`.
    subscript(name: String) -> Part? { parts.first { $0.name == name } }

    /// Whether `contentType` is multipart form data.
    static func isMultipart(_ contentType: String?) -> Bool {
        contentType?.lowercased().hasPrefix("multipart/form-data") ?? false
    }

    /// The form of `request`, read up to the decoder's body limit.
    /// - Parameters:
    ///   - request: A request that must carry `multipart/form-data`.
    ///   - services: Where the body limit comes from.
    ///   - expected: What the form should hold, for the 415 answer to any other body.
    /// - Throws: ``ManagementError`` 415 for another content type, 413 over the limit, 400 for a malformed form.
    static func read(_ request: Request, services: APIManagerServices, expected: String) async throws
        -> MultipartFormData
    {
        guard let contentType = request.headers[.contentType], isMultipart(contentType) else {
            throw ManagementError(.unsupportedMediaType, detail: "Send a multipart/form-data form with \(expected)")
        }
        return try MultipartFormData(body: try await services.decoder.body(of: request), contentType: contentType)
    }

    /// The `file` part of the form of `request`: how WSO2's import operations take their upload.
    /// - Parameters:
    ///   - request: A request that must carry `multipart/form-data`.
    ///   - services: Where the body limit comes from.
    ///   - what: What the upload is ("the archive"), for the 415 and 400 answers.
    /// - Throws: as ``read(_:services:expected:)``, and ``ManagementError`` 400 when the form has no `file`.
    static func file(of request: Request, services: APIManagerServices, what: String) async throws -> Part {
        let form = try await read(request, services: services, expected: "\(what) as file")
        guard let file = form["file"] else { throw ManagementError.badRequest("The form needs \(what) as file") }
        return file
    }

    /// Parses `body` sent with `contentType`.
    /// - Throws: ``ManagementError`` 400 for a missing boundary or a malformed body.
    package init(body: Data, contentType: String) throws(ManagementError) {
        guard let boundaryParameter = contentType.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { $0.lowercased().hasPrefix("boundary=") })
        else {
            throw ManagementError.badRequest("The multipart content type has no boundary")
        }
        var boundary = String(boundaryParameter.dropFirst("boundary=".count))
        if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 {
            boundary = String(boundary.dropFirst().dropLast())
        }
        guard !boundary.isEmpty else { throw ManagementError.badRequest("The multipart boundary is empty") }
        let delimiter = Data("--\(boundary)".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        var parts: [Part] = []
        guard var cursor = body.range(of: delimiter)?.upperBound else {
            throw ManagementError.badRequest("The multipart body does not start with its boundary")
        }
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[cursor...].starts(with: Data("--".utf8)) { break }
            guard body[cursor...].starts(with: Data("\r\n".utf8)) else {
                throw ManagementError.badRequest("The multipart body is malformed")
            }
            cursor += 2
            guard let headersRange = body.range(of: headerEnd, in: cursor..<body.endIndex),
                let next = body.range(of: Data("\r\n".utf8) + delimiter, in: headersRange.upperBound..<body.endIndex)
            else {
                throw ManagementError.badRequest("The multipart body ends in the middle of a part")
            }
            let headers = String(decoding: body[cursor..<headersRange.lowerBound], as: UTF8.self)
            parts.append(try Self.part(headers: headers, body: body[headersRange.upperBound..<next.lowerBound]))
            cursor = next.upperBound
        }
        self.parts = parts
    }

    private static func part(headers: String, body: Data) throws(ManagementError) -> Part {
        var name: String?
        var fileName: String?
        var contentType: String?
        for line in headers.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch field {
            case "content-disposition":
                for parameter in value.split(separator: ";").dropFirst() {
                    let pair = parameter.split(separator: "=", maxSplits: 1).map {
                        $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\"")))
                    }
                    guard pair.count == 2 else { continue }
                    if pair[0].lowercased() == "name" { name = pair[1] }
                    if pair[0].lowercased() == "filename" { fileName = pair[1] }
                }
            case "content-type":
                contentType = value
            default:
                break
            }
        }
        guard let name, !name.isEmpty else {
            throw ManagementError.badRequest("A multipart part has no name in its Content-Disposition")
        }
        return Part(name: name, fileName: fileName, contentType: contentType, body: Data(body))
    }
}
