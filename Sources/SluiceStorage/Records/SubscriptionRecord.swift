public import Foundation
public import SluiceModel

/// An application's subscription to one API version, with its tier and status.
public struct SubscriptionRecord: Sendable, Hashable {
    /// A UUID string.
    public var id: String
    /// The subscribing application.
    public var applicationID: String
    /// The publisher's API id when the API is known to the publisher.
    public var apiID: String?
    /// The API context without a trailing version segment (see ``APIKey``).
    public var apiContext: String
    /// The API version.
    public var apiVersion: String
    /// The API name, for listings.
    public var apiName: String?
    /// The API provider, for listings.
    public var apiProvider: String?
    /// The subscription tier (tiers.xml), e.g. `Gold`.
    public var tier: String
    /// Whether calls through the subscription pass (see `SubscriptionStatus.admits`).
    public var status: SubscriptionStatus
    /// Grows by one on every update, so readers can order concurrent changes.
    public var revision: Int64
    /// When the application subscribed.
    public var createdAt: Date
    /// When tier or status last changed.
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
