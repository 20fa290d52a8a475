public import Foundation
public import SluiceModel

/// One lifecycle transition of an API, as the publisher's lifecycle-history resource lists it.
public struct LifecycleHistoryEntry: Sendable, Hashable {
    /// The API that changed.
    public var apiID: String
    /// Nil for the creation entry.
    public var previousState: APILifecycleState?
    /// The state after the change.
    public var newState: APILifecycleState
    /// The action taken; nil for the creation entry.
    public var action: LifecycleAction?
    /// The user who made the change.
    public var actor: String
    /// When the change happened.
    public var changedAt: Date

    /// Creates a history entry.
    public init(
        apiID: String,
        previousState: APILifecycleState?,
        newState: APILifecycleState,
        action: LifecycleAction?,
        actor: String,
        changedAt: Date
    ) {
        self.apiID = apiID
        self.previousState = previousState
        self.newState = newState
        self.action = action
        self.actor = actor
        self.changedAt = changedAt
    }
}
