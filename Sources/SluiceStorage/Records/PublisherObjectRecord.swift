public import Foundation

/// A publisher object that is a JSON document to storage: a shared scope, an operation policy, an endpoint
/// certificate or a named endpoint of an API. Common objects belong to no API; an API's are deleted with it.
public struct PublisherObjectRecord: Sendable, Hashable {
    /// What the object is; names are unique per kind and owner.
    public enum Kind: String, Sendable, CaseIterable {
        /// WSO2's shared scope (`/scopes`), named by the scope.
        case sharedScope = "shared-scope"
        /// An operation policy (`/operation-policies`, `/apis/{apiId}/operation-policies`), named `name:version`.
        case operationPolicy = "operation-policy"
        /// A backend trust certificate (`/endpoint-certificates`), named by its alias.
        case endpointCertificate = "endpoint-certificate"
        /// A named endpoint of an API (`/apis/{apiId}/endpoints`).
        case apiEndpoint = "api-endpoint"
    }

    /// Which objects of a kind a listing wants.
    public enum Owner: Sendable, Hashable {
        /// The common objects (no API).
        case common
        /// One API's objects.
        case api(String)
        /// Every object of the kind, common or an API's.
        case any
    }

    /// A UUID string.
    public var id: String
    public var kind: Kind
    /// The API the object belongs to; nil for a common object.
    public var apiID: String?
    /// Unique per kind and owner (case-sensitive).
    public var name: String
    /// The object as the service encodes it; opaque to storage.
    public var document: Data
    public var updatedAt: Date

    /// Creates a record.
    public init(id: String, kind: Kind, apiID: String? = nil, name: String, document: Data, updatedAt: Date) {
        self.id = id
        self.kind = kind
        self.apiID = apiID
        self.name = name
        self.document = document
        self.updatedAt = updatedAt
    }
}
