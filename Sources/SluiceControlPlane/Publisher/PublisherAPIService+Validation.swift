import Foundation

/// WSO2's `POST /apis/validate`: whether an API with a name, context or version exists.
extension PublisherAPIService {
    /// Whether an API matches every condition of `query`: `name:X` (the name, ignoring case), `context:/x` (the
    /// context, with or without its leading slash or its version segment), `version:1.0.0`; a word without a
    /// modifier is a name. Conditions are separated by spaces.
    /// - Throws: ``ManagementError`` 400 for an empty query or an unknown modifier.
    package func apiExists(matching query: String) async throws -> Bool {
        let conditions = try query.split(separator: " ").map { term -> (String, String) in
            let parts = term.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return ("name", parts[0]) }
            guard ["name", "context", "version"].contains(parts[0].lowercased()), !parts[1].isEmpty else {
                throw ManagementError.badRequest("query: use name:, context: or version: followed by a value")
            }
            return (parts[0].lowercased(), parts[1])
        }
        guard !conditions.isEmpty else { throw ManagementError.badRequest("query must name an API, context or version") }
        return try await services.storage.apis().contains { api in
            conditions.allSatisfy { attribute, value in
                switch attribute {
                case "context":
                    let wanted = value.hasPrefix("/") ? value : "/" + value
                    return api.context == wanted || "\(api.context)/\(api.version)" == wanted
                case "version": return api.version == value
                default: return api.name.caseInsensitiveCompare(value) == .orderedSame
                }
            }
        }
    }
}
