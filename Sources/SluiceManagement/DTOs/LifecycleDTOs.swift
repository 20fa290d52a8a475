import Foundation
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// `LifecycleStateDTO`: the state and the actions allowed from it.
struct LifecycleStateDTO: Encodable, Sendable {
    struct Transition: Encodable, Sendable {
        var event: String
        var targetState: String
    }

    struct CheckItem: Encodable, Sendable {
        var name: String
        var value: Bool
    }

    var state: String
    var availableTransitions: [Transition]
    var checkItems: [CheckItem]

    init(_ state: APILifecycleState) {
        self.state = state.rawValue
        availableTransitions = LifecycleAction.allCases.compactMap { action in
            state.applying(action).map { Transition(event: action.rawValue, targetState: $0.rawValue) }
        }
        checkItems = LifecycleChecklist.itemNames.map { CheckItem(name: $0, value: false) }
    }
}

/// `WorkflowResponseDTO` of `change-lifecycle`: changes apply at once, so the workflow is always approved.
struct LifecycleChangeDTO: Encodable, Sendable {
    var workflowStatus = "APPROVED"
    var lifecycleState: LifecycleStateDTO
}

/// `LifecycleHistoryItemDTO`.
struct LifecycleHistoryItemDTO: Encodable, Sendable {
    var previousState: String?
    var postState: String
    var action: String?
    var user: String
    var updatedTime: Date

    init(_ entry: LifecycleHistoryEntry) {
        previousState = entry.previousState?.rawValue
        postState = entry.newState.rawValue
        action = entry.action?.rawValue
        user = entry.actor
        updatedTime = entry.changedAt
    }
}

/// WSO2's `lifecycleChecklist` parameter: `Deprecate old versions:true,Require re-subscription:false`.
enum LifecycleChecklist {
    static let deprecateOldVersions = "Deprecate old versions"
    static let requireResubscription = "Require re-subscription"
    static let pushToGateway = "Push to Gateway"
    static let itemNames = [deprecateOldVersions, requireResubscription, pushToGateway]

    /// Parses the checklist into options.
    /// - Throws: ``ManagementError`` 400 for unknown items or values other than true/false.
    static func options(from text: String?) throws(ManagementError) -> APIDeploymentService.Options {
        var options = APIDeploymentService.Options()
        guard let text else { return options }
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let value = Bool(parts[1].lowercased()) else {
                throw ManagementError.badRequest("lifecycleChecklist items are 'name:true' or 'name:false'")
            }
            switch parts[0].lowercased() {
            case deprecateOldVersions.lowercased(): options.deprecateOldVersions = value
            case requireResubscription.lowercased(): options.requireResubscription = value
            case pushToGateway.lowercased(): options.pushToGateway = value
            default:
                throw ManagementError.badRequest(
                    "Unknown lifecycle checklist item '\(parts[0])'; use \(itemNames.joined(separator: ", "))"
                )
            }
        }
        return options
    }
}
