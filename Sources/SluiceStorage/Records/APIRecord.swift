public import Foundation
public import SluiceModel

/// A publisher API: its identity, lifecycle state and the publisher's definition document.
public struct APIRecord: Sendable, Hashable {
    /// A UUID string.
    public var id: String
    public var provider: String
    public var name: String
    public var version: String
    /// The context without version (`/pizzashack`).
    public var context: String
    public var description: String?
    public var lifecycleState: APILifecycleState
    /// `PUBLIC`, `PRIVATE` or `RESTRICTED`.
    public var visibility: String
    public var isDefaultVersion: Bool
    public var tags: [String]
    /// The publisher's full definition (endpoints, operations, policies) as JSON; opaque to storage.
    public var definition: Data?
    public var createdAt: Date
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
