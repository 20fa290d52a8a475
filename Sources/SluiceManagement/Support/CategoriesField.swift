import Foundation
import Hummingbird
import SluiceControlPlane

/// WSO2's `categories` property of an API or API product body: the names of admin-defined API categories, which
/// the record's own decoding leaves aside because they live in the catalog, not the definition.
enum CategoriesField {
    /// Decodes an API or product body whose `categories` the definition leaves aside, and the ids of the
    /// categories it names (nil when absent: unchanged), checked before anything is stored.
    static func decode<Body: Codable>(
        _ type: Body.Type,
        from request: Request,
        readOnlyFields: Set<String>,
        services: APIManagerServices
    ) async throws -> (Body, categoryIDs: [String]?) {
        let data = try await services.decoder.body(of: request)
        let body = try services.decoder.decode(type, from: data, readOnlyFields: readOnlyFields.union(["categories"]))
        return (body, try await ids(in: data, catalog: APICatalogService(services: services)))
    }

    /// The ids of the categories the body names; nil when the body leaves them out (they stay as they are).
    /// - Throws: ``ManagementError`` 400 when the value is not a list of names or names an unknown category.
    private static func ids(in body: Data, catalog: APICatalogService) async throws -> [String]? {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        guard let value = object?["categories"], !(value is NSNull) else { return nil }
        guard let names = value as? [String] else { throw ManagementError.badRequest("categories must be a list of names") }
        return try await catalog.categoryIDs(named: names)
    }
}
