import Foundation
import SluiceControlPlane

/// WSO2's `APIRevision`: `{"id", "displayName": "Revision 1", "description", "createdTime", "apiInfo": {"id"},
/// "deploymentInfo": [...]}`.
struct APIRevisionDTO: Encodable, Sendable {
    struct APIInfo: Encodable, Sendable {
        var id: String
    }

    var id: String
    var displayName: String
    var description: String?
    var createdTime: Date
    var apiInfo: APIInfo
    var deploymentInfo: [APIRevisionDeploymentDTO]

    init(_ revision: APIRevisionService.Revision) {
        id = revision.record.id
        displayName = "Revision \(revision.record.number)"
        description = revision.record.description
        createdTime = revision.record.createdAt
        apiInfo = APIInfo(id: revision.record.apiID)
        deploymentInfo = revision.deployments.map(APIRevisionDeploymentDTO.init)
    }
}

/// The body of `POST /apis/{apiId}/revisions`: WSO2's `APIRevision`, of which only `description` is the client's.
struct APIRevisionRequestDTO: Codable, Sendable {
    /// The fields the server sets; a client may send them back.
    static let readOnlyFields: Set<String> = ["id", "displayName", "createdTime", "apiInfo", "deploymentInfo"]

    var description: String?
}

/// WSO2's `APIRevisionDeployment`: `{"revisionUuid", "name": "Default", "status", "vhost", "displayOnDevportal",
/// "deployedTime", "successDeployedTime"}`.
struct APIRevisionDeploymentDTO: Encodable, Sendable {
    var revisionUuid: String
    var name: String
    /// `APPROVED`: Sluice has no deployment workflow, so a deployment is done when answered.
    var status = "APPROVED"
    var vhost: String
    var displayOnDevportal: Bool
    var deployedTime: Date
    var successDeployedTime: Date

    init(_ deployment: RevisionDeployment) {
        revisionUuid = deployment.revisionID
        name = deployment.environment
        vhost = deployment.vhost
        displayOnDevportal = deployment.displayOnDevportal
        deployedTime = deployment.deployedAt
        successDeployedTime = deployment.deployedAt
    }
}

/// One element of a deploy, undeploy or deployment-update body: WSO2's `APIRevisionDeployment`, of which Sluice
/// reads `name`, `vhost` and `displayOnDevportal`.
struct RevisionDeploymentRequestDTO: Codable, Sendable {
    /// The fields the server sets; a client may send them back.
    static let readOnlyFields: Set<String> = [
        "deployedTime", "successDeployedTime", "liveGatewayCount", "deployedGatewayCount", "failedGatewayCount",
    ]

    var name: String?
    var vhost: String?
    var displayOnDevportal: Bool?

    /// WSO2's `vhost` pattern: dot-separated labels of letters, digits and inner dashes.
    private static func isHostName(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    /// The request's environment, checked as WSO2's schema does (`name` required, `vhost` a host name).
    func target(index: Int) throws -> APIRevisionService.Target {
        guard let name, !name.isEmpty, name.count <= 255 else {
            throw ManagementError.badRequest("[\(index)].name: the gateway environment's name is required")
        }
        if let vhost, vhost.count > 255 || !Self.isHostName(vhost) {
            throw ManagementError.badRequest("[\(index)].vhost: '\(vhost)' is not a host name")
        }
        return APIRevisionService.Target(environment: name, vhost: vhost, displayOnDevportal: displayOnDevportal ?? true)
    }
}

extension RevisionDeploymentRequestDTO: WSO2RequestBody {
    /// The revision comes from the query (`revisionId`); a deployment's workflow status is the server's (Sluice
    /// approves every deployment at once).
    static var wso2OnlyFields: Set<String> { ["revisionUuid", "status"] }
}
