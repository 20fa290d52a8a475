import Foundation

/// A revision of an API deployed to a gateway environment (WSO2's `APIRevisionDeployment`).
package struct RevisionDeployment: Sendable, Codable, Hashable {
    /// The deployed revision's id.
    package var revisionID: String
    /// The gateway environment's name (`Default`).
    package var environment: String
    /// The host name the deployment was made for (recorded and answered; Sluice's gateways answer on any host).
    package var vhost: String
    /// Whether the developer portal shows this environment's gateway URLs for the API.
    package var displayOnDevportal: Bool
    /// When the revision was deployed there.
    package var deployedAt: Date

    package init(revisionID: String, environment: String, vhost: String, displayOnDevportal: Bool, deployedAt: Date) {
        self.revisionID = revisionID
        self.environment = environment
        self.vhost = vhost
        self.displayOnDevportal = displayOnDevportal
        self.deployedAt = deployedAt
    }
}
