import Foundation
import Hummingbird
import SluiceArtifacts
import SluiceControlPlane

/// Reads JSON request bodies strictly: malformed JSON, wrong types, missing fields and fields the DTO does not
/// know are all answered with 400 and the JSON path of the offending field. Fields of WSO2's request schema the DTO
/// does not read (``WSO2RequestBody``) are accepted and reported through ``IgnoredFields``.
///
/// Unknown fields are found by encoding the decoded value again and looking for input keys (with non-null
/// values) that did not survive the round trip.
struct StrictJSONDecoder: Sendable {
    /// The largest body accepted, in bytes.
    var maximumBodySize: Int

    /// Reads and decodes the request body.
    /// - Parameters:
    ///   - type: The DTO.
    ///   - request: The request.
    ///   - readOnlyFields: Top-level fields the server sets; accepted and ignored (a client may send back
    ///     what it got from a GET).
    /// - Throws: ``ManagementError`` (400, 413).
    func decode<T: Codable>(
        _ type: T.Type,
        from request: Request,
        readOnlyFields: Set<String> = []
    ) async throws -> T {
        try decode(type, from: try await body(of: request), readOnlyFields: readOnlyFields)
    }

    /// The request body, at most `maximumBodySize` bytes.
    /// - Throws: ``ManagementError`` (413).
    func body(of request: Request) async throws -> Data {
        do {
            return Data(buffer: try await request.body.collect(upTo: maximumBodySize))
        } catch {
            throw ManagementError(.contentTooLarge, detail: "The request body is larger than \(maximumBodySize) bytes")
        }
    }

    /// Decodes `data`; see ``decode(_:from:readOnlyFields:)-(_,Request,_)``.
    func decode<T: Codable>(_ type: T.Type, from data: Data, readOnlyFields: Set<String> = []) throws -> T {
        guard !data.isEmpty else {
            throw ManagementError.badRequest("The request body is empty; a JSON object is required")
        }
        let input: Any
        do {
            input = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw ManagementError.badRequest("The request body is not valid JSON")
        }
        guard var object = input as? [String: Any] else {
            throw ManagementError.badRequest("The request body must be a JSON object")
        }
        for field in readOnlyFields { object[field] = nil }
        let value: T
        do {
            let cleaned = try JSONSerialization.data(withJSONObject: object)
            value = try JSONDecoder().decode(T.self, from: cleaned)
        } catch let error as DecodingError {
            throw Self.badRequest(for: error)
        }
        let echoed = try JSONSerialization.jsonObject(with: JSONResponses.encoder().encode(value))
        var unknown: [String] = []
        Self.collectUnknownFields(input: object, known: echoed, path: "", into: &unknown)
        // Fields of WSO2's schema that Sluice does not use are accepted and named in `Sluice-Ignored-Fields`.
        let wso2Only = (T.self as? any WSO2RequestBody.Type)?.wso2OnlyFields ?? []
        let ignored = unknown.filter { wso2Only.contains(IgnoredFields.pattern(of: $0)) }
        unknown.removeAll { wso2Only.contains(IgnoredFields.pattern(of: $0)) }
        for path in ignored { IgnoredFields.current?.record(IgnoredFields.pattern(of: path)) }
        guard unknown.isEmpty else {
            throw ManagementError.badRequest(
                "Unknown field\(unknown.count == 1 ? "" : "s"): \(unknown.joined(separator: ", "))",
                items: unknown.map { ManagementError.Item(code: "400", message: "Unknown field", description: $0) }
            )
        }
        return value
    }

    // MARK: - Unknown fields

    private static func collectUnknownFields(input: Any, known: Any, path: String, into unknown: inout [String]) {
        switch (input, known) {
        case (let input as [String: Any], let known as [String: Any]):
            for key in input.keys.sorted() {
                let value = input[key]!
                if value is NSNull { continue }
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                guard let knownValue = known[key] else {
                    unknown.append(childPath)
                    continue
                }
                collectUnknownFields(input: value, known: knownValue, path: childPath, into: &unknown)
            }
        case (let input as [Any], let known as [Any]) where input.count == known.count:
            for (index, element) in input.enumerated() {
                collectUnknownFields(input: element, known: known[index], path: "\(path)[\(index)]", into: &unknown)
            }
        case (let input as [Any], let known as [String: Any]):
            // A DTO may accept a list where it writes a single object (one endpoint as `{url}` or `[{url}]`).
            for (index, element) in input.enumerated() {
                collectUnknownFields(input: element, known: known, path: "\(path)[\(index)]", into: &unknown)
            }
        default:
            break
        }
    }

    // MARK: - Decoding errors

    static func badRequest(for error: DecodingError) -> ManagementError {
        let (path, problem): ([any CodingKey], String) =
            switch error {
            case .keyNotFound(let key, let context): (context.codingPath + [key], "is required")
            case .typeMismatch(let type, let context): (context.codingPath, "must be \(describe(type))")
            case .valueNotFound(let type, let context): (context.codingPath, "must be \(describe(type)), not null")
            case .dataCorrupted(let context): (context.codingPath, "is not valid: \(context.debugDescription)")
            @unknown default: ([], "is not valid")
            }
        let field = fieldPath(path)
        let sentence = "\(field) \(problem)"
        return ManagementError.badRequest(
            sentence,
            items: [ManagementError.Item(code: "400", message: "Invalid field", description: sentence)]
        )
    }

    private static func fieldPath(_ path: [any CodingKey]) -> String {
        let name = CodingPath.fieldName(path)
        return name.isEmpty ? "The body" : name
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "a list"
        default: "of type \(type)"
        }
    }
}
