public import SluiceModel

/// Why a lifecycle action was refused or could not take effect.
public struct LifecycleError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Sendable, Hashable {
        case illegalTransition(APILifecycleState, LifecycleAction)
        case invalidDefinition(APIValidationError)
        case deploymentFailed(DeploymentError)
    }

    private let base: Base

    private init(_ base: Base) {
        self.base = base
    }

    /// The broad kind of failure, for mapping to an HTTP status.
    public enum Kind: Sendable, Hashable {
        /// The action is not allowed from the current state (a client error).
        case illegalTransition
        /// The definition cannot be turned into an artifact (a client error).
        case invalidDefinition
        /// The artifact could not be written or removed (a server error).
        case deploymentFailed
    }

    /// `action` is not allowed from `state`.
    public static func illegalTransition(from state: APILifecycleState, action: LifecycleAction) -> LifecycleError {
        LifecycleError(.illegalTransition(state, action))
    }

    /// The definition failed validation.
    public static func invalidDefinition(_ error: APIValidationError) -> LifecycleError {
        LifecycleError(.invalidDefinition(error))
    }

    /// Writing or removing an artifact failed.
    public static func deploymentFailed(_ error: DeploymentError) -> LifecycleError {
        LifecycleError(.deploymentFailed(error))
    }

    /// Which kind of failure this is.
    public var kind: Kind {
        switch base {
        case .illegalTransition: .illegalTransition
        case .invalidDefinition: .invalidDefinition
        case .deploymentFailed: .deploymentFailed
        }
    }

    /// The validation problems, for an invalid definition.
    public var validationError: APIValidationError? {
        if case .invalidDefinition(let error) = base { return error }
        return nil
    }

    /// A sentence naming the problem; an illegal transition lists the actions that are allowed instead.
    public var description: String {
        switch base {
        case .illegalTransition(let state, let action):
            let allowed = LifecycleAction.allCases.filter { state.applying($0) != nil }.map { "'\($0.rawValue)'" }
            let alternatives =
                allowed.isEmpty
                ? "no action is allowed in that state"
                : "allowed: \(allowed.joined(separator: ", "))"
            return "cannot '\(action.rawValue)' an API in state \(state.rawValue); \(alternatives)"
        case .invalidDefinition(let error):
            return "the API definition is not valid:\n\(error)"
        case .deploymentFailed(let error):
            return error.description
        }
    }
}
