import Foundation
package import SluiceStorage

/// How the portals present APIs: thumbnails (publisher upload, both portals read), and the categories and labels
/// administrators define and attach to APIs (WSO2's `API Category` and `Label` groups).
package struct APICatalogService: Sendable {
    /// The largest thumbnail, in bytes.
    package static let maximumThumbnailSize = 1 << 20

    let services: APIManagerServices

    package init(services: APIManagerServices) {
        self.services = services
    }

    // MARK: - Thumbnails

    /// The thumbnail of an API the caller may see in the devportal.
    /// - Throws: ``ManagementError`` 404 (no such API for the caller, or no thumbnail).
    package func visibleThumbnail(apiID: String, principal: Principal?) async throws -> APIThumbnail {
        _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        return try await storedThumbnail(apiID)
    }

    /// The API's thumbnail, for the publisher.
    /// - Throws: ``ManagementError`` 404 (no such API, or no thumbnail).
    package func thumbnail(apiID: String) async throws -> APIThumbnail {
        _ = try await PublisherSupport.api(apiID, services)
        return try await storedThumbnail(apiID)
    }

    private func storedThumbnail(_ apiID: String) async throws -> APIThumbnail {
        guard let thumbnail = try await services.storage.thumbnail(apiID: apiID) else {
            throw ManagementError.notFound("The API has no thumbnail")
        }
        return thumbnail
    }

    /// Stores an API's thumbnail: a PNG, JPEG, GIF or WebP image (told by its bytes, not by what the client
    /// says) of at most ``maximumThumbnailSize`` bytes.
    /// - Throws: ``ManagementError`` 404, 400 (empty, too large, not one of those images).
    package func setThumbnail(apiID: String, data: Data) async throws -> APIThumbnail {
        _ = try await PublisherSupport.api(apiID, services)
        guard !data.isEmpty, data.count <= Self.maximumThumbnailSize else {
            throw ManagementError.badRequest("The thumbnail must be 1 byte to \(Self.maximumThumbnailSize / 1024) KiB")
        }
        guard let type = Self.imageType(of: data) else {
            throw ManagementError.badRequest("The thumbnail must be a PNG, JPEG, GIF or WebP image")
        }
        let thumbnail = APIThumbnail(apiID: apiID, contentType: type, data: data, updatedAt: Date())
        try await services.storage.setThumbnail(thumbnail)
        return thumbnail
    }

    /// The image type the bytes start with.
    static func imageType(of data: Data) -> String? {
        let bytes = [UInt8](data.prefix(12))
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        return nil
    }

    // MARK: - Categories and labels

    /// The categories or labels, by name, with how many APIs each is attached to.
    package func groupings(_ kind: APIGroupingRecord.Kind) async throws -> [(grouping: APIGroupingRecord, apiCount: Int)] {
        var result: [(grouping: APIGroupingRecord, apiCount: Int)] = []
        for grouping in try await services.storage.groupings(kind) {
            let count = try await services.storage.apiIDs(groupingID: grouping.id).count
            result.append((grouping: grouping, apiCount: count))
        }
        return result
    }

    /// Creates a category or label.
    /// - Throws: ``ManagementError`` 400 (name 1 to 255 characters, description at most 1024), 409 (name taken).
    package func create(_ kind: APIGroupingRecord.Kind, name: String, description: String?) async throws -> APIGroupingRecord {
        let grouping = APIGroupingRecord(
            id: UUID().uuidString.lowercased(), kind: kind, name: try Self.checkedName(name), description: try Self.checked(description)
        )
        do {
            try await services.storage.createGrouping(grouping)
        } catch let error as StorageError where error.code == .duplicate {
            throw ManagementError.conflict("A \(kind.rawValue) named \(grouping.name) exists")
        }
        return grouping
    }

    /// Renames or redescribes a category or label.
    /// - Throws: ``ManagementError`` 404, 400, 409 as ``create(_:name:description:)``.
    package func update(_ kind: APIGroupingRecord.Kind, id: String, name: String, description: String?) async throws -> APIGroupingRecord {
        _ = try await grouping(kind, id: id)
        let grouping = APIGroupingRecord(id: id, kind: kind, name: try Self.checkedName(name), description: try Self.checked(description))
        do {
            try await services.storage.updateGrouping(grouping)
        } catch let error as StorageError where error.code == .duplicate {
            throw ManagementError.conflict("A \(kind.rawValue) named \(grouping.name) exists")
        }
        return grouping
    }

    /// Deletes a category or label that no API uses.
    /// - Throws: ``ManagementError`` 404, 409 while APIs use it.
    package func delete(_ kind: APIGroupingRecord.Kind, id: String) async throws {
        _ = try await grouping(kind, id: id)
        let users = try await services.storage.apiIDs(groupingID: id)
        guard users.isEmpty else {
            throw ManagementError.conflict("The \(kind.rawValue) is attached to \(users.count) APIs; detach it first")
        }
        _ = try await services.storage.deleteGrouping(id: id)
    }

    /// One category or label.
    /// - Throws: ``ManagementError`` 404.
    package func grouping(_ kind: APIGroupingRecord.Kind, id: String) async throws -> APIGroupingRecord {
        guard let found = try await services.storage.groupings(kind).first(where: { $0.id == id }) else {
            throw ManagementError.notFound("No \(kind.rawValue) \(id)")
        }
        return found
    }

    /// The APIs a category or label is attached to, by name.
    package func apis(using id: String, kind: APIGroupingRecord.Kind) async throws -> [APIRecord] {
        _ = try await grouping(kind, id: id)
        var apis: [APIRecord] = []
        for apiID in try await services.storage.apiIDs(groupingID: id) {
            if let api = try await services.storage.api(id: apiID) { apis.append(api) }
        }
        return apis.sorted { ($0.name, $0.version) < ($1.name, $1.version) }
    }

    /// The categories or labels attached to an API.
    /// - Throws: ``ManagementError`` 404 for an unknown API.
    package func attached(_ kind: APIGroupingRecord.Kind, apiID: String) async throws -> [APIGroupingRecord] {
        _ = try await PublisherSupport.api(apiID, services)
        let ids = Set(try await services.storage.groupingIDs(apiID: apiID))
        return try await services.storage.groupings(kind).filter { ids.contains($0.id) }
    }

    /// Attaches (or detaches) categories or labels, named by id or name, to an API.
    /// - Throws: ``ManagementError`` 404 for an unknown API, 400 naming an unknown category or label.
    package func attach(_ kind: APIGroupingRecord.Kind, _ references: [String], apiID: String, detaching: Bool = false) async throws
        -> [APIGroupingRecord]
    {
        let current = try await attached(kind, apiID: apiID)
        let all = try await services.storage.groupings(kind)
        var chosen = Set(current.map(\.id))
        for reference in references {
            guard let found = all.first(where: { $0.id == reference || $0.name.caseInsensitiveCompare(reference) == .orderedSame })
            else { throw ManagementError.badRequest("No \(kind.rawValue) \(reference)") }
            if detaching { chosen.remove(found.id) } else { chosen.insert(found.id) }
        }
        try await services.storage.setGroupings(Array(chosen), of: kind, apiID: apiID)
        return all.filter { chosen.contains($0.id) }
    }

    /// The ids of the API categories with these names (ignoring case).
    /// - Throws: ``ManagementError`` 400 naming an unknown category.
    package func categoryIDs(named names: [String]) async throws -> [String] {
        let all = try await services.storage.groupings(.category)
        return try names.map { name in
            guard let found = all.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) else {
                throw ManagementError.badRequest("categories: no API category \(name)")
            }
            return found.id
        }
    }

    /// Replaces the categories of an API (nil: leaves them) and answers their names.
    package func setCategories(_ ids: [String]?, apiID: String) async throws -> [String] {
        if let ids { try await services.storage.setGroupings(ids, of: .category, apiID: apiID) }
        return try await categoryNames(apiID: apiID)
    }

    /// The names of the API categories attached to an API, by name.
    package func categoryNames(apiID: String) async throws -> [String] {
        let ids = Set(try await services.storage.groupingIDs(apiID: apiID))
        return try await services.storage.groupings(.category).filter { ids.contains($0.id) }.map(\.name)
    }

    private static func checkedName(_ name: String) throws(ManagementError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 255 else { throw ManagementError.badRequest("name must be 1 to 255 characters") }
        return trimmed
    }

    private static func checked(_ description: String?) throws(ManagementError) -> String? {
        guard let description else { return nil }
        guard description.count <= 1_024 else { throw ManagementError.badRequest("description must be at most 1024 characters") }
        return description
    }
}
