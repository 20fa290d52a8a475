public import Foundation
public import SluiceModel

/// An application's subscription to one API version, with its tier and status.
public struct SubscriptionRecord: Sendable, Hashable {
    /// A UUID string.
    public var id: String
    public var applicationID: String
    /// The publisher's API id when the API is known to the publisher.
    public var apiID: String?
    /// The API context without a trailing version segment (see ``APIKey``).
    public var apiContext: String
    public var apiVersion: String
    public var apiName: String?
    public var apiProvider: String?
    /// The subscription tier (tiers.xml), e.g. `Gold`.
    public var tier: String
    public var status: SubscriptionStatus
    /// Grows by one on every update, so readers can order concurrent changes.
    public var revision: Int64
    public var createdAt: Date
    public var updatedAt: Date

    /// Creates a subscription record; the context is normalized through ``APIKey``.
    public init(
        id: String,
        applicationID: String,
        apiID: String? = nil,
        apiContext: String,
        apiVersion: String,
        apiName: String? = nil,
        apiProvider: String? = nil,
        tier: String,
        status: SubscriptionStatus = .unblocked,
        revision: Int64 = 1,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.applicationID = applicationID
        self.apiID = apiID
        self.apiContext = APIKey(context: apiContext, version: apiVersion).context
        self.apiVersion = apiVersion
        self.apiName = apiName
        self.apiProvider = apiProvider
        self.tier = tier
        self.status = status
        self.revision = revision
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
