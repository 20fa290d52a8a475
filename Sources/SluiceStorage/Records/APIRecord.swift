public import Foundation
public import SluiceModel

/// A publisher API: its identity, lifecycle state and the publisher's definition document.
public struct APIRecord: Sendable, Hashable {
    /// A UUID string.
    public var id: String
    /// The username of the API creator (WSO2 `provider`).
    public var provider: String
    /// The API name, unique per provider and version.
    public var name: String
    /// The API version, e.g. `1.0.0`.
    public var version: String
    /// The context without version (`/pizzashack`).
    public var context: String
    /// Free text shown in the portals.
    public var description: String?
    /// Where the API is in its lifecycle; changed through `recordLifecycleChange`.
    public var lifecycleState: APILifecycleState
    /// `PUBLIC`, `PRIVATE` or `RESTRICTED`.
    public var visibility: String
    /// Whether the unversioned context routes to this version.
    public var isDefaultVersion: Bool
    /// Search tags (devportal `tag:` queries).
    public var tags: [String]
    /// The publisher's full definition (endpoints, operations, policies) as JSON; opaque to storage.
    public var definition: Data?
    /// When the API was created.
    public var createdAt: Date
    /// When the API last changed.
    public var updatedAt: Date

    /// Creates an API record.
    public init(
        id: String,
        provider: String,
        name: String,
        version: String,
        context: String,
        description: String? = nil,
        lifecycleState: APILifecycleState = .created,
        visibility: String = "PUBLIC",
        isDefaultVersion: Bool = false,
        tags: [String] = [],
        definition: Data? = nil,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.provider = provider
        self.name = name
        self.version = version
        self.context = context
        self.description = description
        self.lifecycleState = lifecycleState
        self.visibility = visibility
        self.isDefaultVersion = isDefaultVersion
        self.tags = tags
        self.definition = definition
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
