import SluiceModel

/// The lifecycle buttons of an API: exactly the transitions WSO2's lifecycle allows from the current state
/// (`APILifecycleState.transitions`), each its own POST form; none for a user who may not change lifecycles.
struct LifecycleButtons {
    struct Button {
        /// The action's WSO2 name, posted as `action`.
        var action: String
        /// The state it leads to.
        var target: String
        /// A stylesheet class: `danger` for actions that take the API away from subscribers.
        var style: String
        /// Publish offers WSO2's checklist (deprecate old versions, require re-subscription).
        var isPublish: Bool
    }

    /// The order buttons appear in, most common first.
    static let order: [LifecycleAction] = [
        .publish, .republish, .deployAsPrototype, .demoteToPrototyped, .demoteToCreated, .block, .deprecate, .retire,
    ]

    var state: String
    var canChange: Bool
    var buttons: [Button]
    var hasButtons: Bool
    /// Retired is final.
    var isFinal: Bool

    /// The buttons for `state`.
    /// - Parameters:
    ///   - state: The API's current state.
    ///   - canChange: Whether the user has `apim:api_publish` (creators do not).
    init(state: APILifecycleState, canChange: Bool) {
        let transitions = state.transitions
        self.state = state.rawValue
        self.canChange = canChange
        buttons =
            canChange
            ? Self.order.compactMap { action in
                guard let target = transitions[action] else { return nil }
                let dangerous: Set<LifecycleAction> = [.block, .retire, .demoteToCreated, .deprecate]
                return Button(
                    action: action.rawValue,
                    target: target.rawValue,
                    style: dangerous.contains(action)
                        ? "danger" : (action == .publish || action == .republish ? "" : "secondary"),
                    isPublish: action == .publish && state != .published
                )
            } : []
        hasButtons = !buttons.isEmpty
        isFinal = transitions.isEmpty
    }
}
