import SluiceControlPlane
import SluiceModel

extension ManagementOpenAPIDocument {
    /// The administrators' deny policies (blocking conditions).
    static let denyPolicyOperations: [Operation] = {
        let policies = "\(admin)/throttling/deny-policies"
        let policy = "\(admin)/throttling/deny-policy/{conditionId}"
        let view = Access.anyScope(DenyPolicyService.viewScopes)
        let manage = Access.anyScope(DenyPolicyService.manageScopes)
        return [
            op("GET", policies, "Deny policies (query: conditionType:API & conditionValue:/ctx/1.0.0)", view),
            op(
                "POST", policies,
                "Block calls to an API context, from an application (owner:name), by a user, or from an IP or IP range "
                    + "(invert: all but these); the gateway answers 403, fault 900805",
                manage, body: "BlockingCondition"
            ),
            op("GET", policy, "A deny policy", view),
            op("DELETE", policy, "Delete a deny policy; calls pass again at once", manage),
            op("PATCH", policy, "Enable or disable a deny policy (conditionStatus)", manage, body: "BlockingConditionStatus", status: "200"),
        ]
    }()

    /// The request bodies of ``denyPolicyOperations``.
    static var denyPolicySchemas: [String: Any] {
        [
            "BlockingCondition": [
                "type": "object",
                "required": ["conditionType", "conditionValue"],
                "properties": [
                    "conditionType": ["type": "string", "enum": BlockingConditionKinds.names],
                    // A string (API context, owner:name, user) or an object (fixedIp or startingIp/endingIp, invert).
                    "conditionValue": ["oneOf": [["type": "string"], ["type": "object"]]],
                    "conditionStatus": ["type": "boolean"],
                ],
            ] as [String: Any],
            "BlockingConditionStatus": object(["conditionStatus"], ["conditionId": "string", "conditionStatus": "boolean"]),
        ]
    }
}

/// The condition types, for the document.
private enum BlockingConditionKinds {
    static let names = BlockingCondition.Kind.allCases.map(\.rawValue)
}
