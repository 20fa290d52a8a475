import Foundation

/// The common operation policies every Sluice server offers, as WSO2 4.x ships its Synapse ones (same names,
/// versions, attributes and flows; Sluice's own Synapse definitions). They are listed with the common policies
/// administrators add, have fixed ids, and cannot be deleted or replaced.
package enum BuiltInOperationPolicies {
    /// Every built-in policy.
    package static let all: [OperationPolicyService.Policy] = [
        policy(
            OperationPolicySpec(
                name: "addHeader", displayName: "Add Header", description: "Adds a header to the message, or replaces it",
                applicableFlows: ["request", "response", "fault"],
                attributes: [
                    .init(name: "headerName", displayName: "Header Name", description: "Name of the header", required: true),
                    .init(name: "headerValue", displayName: "Header Value", description: "Value of the header", required: true),
                ]
            ),
            #"<header name="{{headerName}}" value="{{headerValue}}" scope="transport"/>"#
        ),
        policy(
            OperationPolicySpec(
                name: "removeHeader", displayName: "Remove Header", description: "Removes a header from the message",
                applicableFlows: ["request", "response", "fault"],
                attributes: [
                    .init(name: "headerName", displayName: "Header Name", description: "Name of the header", required: true)
                ]
            ),
            #"<header name="{{headerName}}" action="remove" scope="transport"/>"#
        ),
        policy(
            OperationPolicySpec(
                name: "changeHTTPMethod", displayName: "Change HTTP Method",
                description: "Sends the request to the backend with another HTTP method",
                applicableFlows: ["request"],
                attributes: [
                    .init(
                        name: "currentMethod", displayName: "Current HTTP Method",
                        description: "The method of the operation (informative: the policy is attached to one)",
                        type: "Enum", required: false, allowedValues: methods
                    ),
                    .init(
                        name: "updatedMethod", displayName: "Updated HTTP Method", description: "The method the backend gets",
                        type: "Enum", required: true, allowedValues: methods
                    ),
                ]
            ),
            #"<property name="HTTP_METHOD" value="{{updatedMethod}}" scope="axis2"/>"#
        ),
        policy(
            OperationPolicySpec(
                name: "jsonToXML", displayName: "JSON to XML", description: "Sends the JSON message on as XML",
                applicableFlows: ["request", "response"], attributes: []
            ),
            #"<property name="messageType" value="application/xml" scope="axis2"/>"#
        ),
        policy(
            OperationPolicySpec(
                name: "xmlToJSON", displayName: "XML to JSON", description: "Sends the XML message on as JSON",
                applicableFlows: ["request", "response"], attributes: []
            ),
            #"<property name="messageType" value="application/json" scope="axis2"/>"#
        ),
    ]

    private static let methods = ["GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    private static func policy(_ spec: OperationPolicySpec, _ definition: String) -> OperationPolicyService.Policy {
        OperationPolicyService.Policy(
            id: NameBasedUUID.make("sluice-operation-policy:\(spec.name):\(spec.version)"), apiID: nil, spec: spec,
            definition: definition, isBuiltIn: true
        )
    }
}
