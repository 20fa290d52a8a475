import SluiceControlPlane

extension ManagementOpenAPIDocument {
    /// WSO2's "API Revisions": snapshots of an API, deployed to gateway environments.
    static let revisionOperations = revisionOperations(base: "\(publisher)/apis/{apiId}", what: "API")

    /// The revision operations of the API or API product at `base`.
    static func revisionOperations(base api: String, what: String) -> [Operation] {
        let read = Access.anyScope(APIRevisionService.readScopes)
        let write = Access.anyScope(APIRevisionService.writeScopes)
        let deploy = Access.anyScope(APIRevisionService.deployScopes)
        return [
            op("GET", "\(api)/revisions", "The \(what)'s revisions (query deployed:true|false)", read),
            op(
                "POST", "\(api)/revisions", "Snapshot the working copy as the next revision (at most 5)", write,
                body: "APIRevision"
            ),
            op("GET", "\(api)/revisions/{revisionId}", "One revision, with where it is deployed", read),
            op("DELETE", "\(api)/revisions/{revisionId}", "Delete a revision deployed nowhere", write),
            op("GET", "\(api)/deployments", "Which revision each gateway environment serves", read),
            op(
                "PUT", "\(api)/deployments/{deploymentId}", "Show or hide a deployment in the developer portal",
                deploy, body: "APIRevisionDeployment"
            ),
            op(
                "POST", "\(api)/deploy-revision",
                "Deploy a revision (revisionId) to the environments listed; Default's gateways serve it", deploy,
                body: "APIRevisionDeployments"
            ),
            op(
                "POST", "\(api)/undeploy-revision",
                "Undeploy a revision (revisionId or revisionNumber) from the environments listed, or allEnvironments",
                .anyScope(APIRevisionService.undeployScopes), body: "APIRevisionDeployments"
            ),
            op(
                "POST", "\(api)/restore-revision", "Make the working copy equal to a revision (revisionId)",
                .anyScope(APIRevisionService.restoreScopes)
            ),
        ]
    }

    /// The request bodies of the revision operations.
    static var revisionSchemas: [String: Any] {
        let deployment = object([], ["name": "string", "vhost": "string", "displayOnDevportal": "boolean"])
        return [
            "APIRevision": object([], ["description": "string"]),
            "APIRevisionDeployment": deployment,
            "APIRevisionDeployments": ["type": "array", "items": deployment] as [String: Any],
        ]
    }
}
