import Foundation
import Hummingbird
import Logging
import SluiceControlPlane

/// WSO2's "API Revisions" group of the publisher: revisions, deployments, deploy, undeploy and restore. Rules live
/// in ``APIRevisionService``.
struct APIRevisionsController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    private var revisions: APIRevisionService { APIRevisionService(services: services, logger: logger) }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        // API products have the same revisions (WSO2's "API Product Revisions").
        for apis in ["\(PublisherAPIsController.prefix)/apis/:apiId", "\(APIProductsController.path)/:apiId"] {
            addRevisionRoutes(to: routes, apis: apis)
            addDeploymentRoutes(to: routes, apis: apis)
        }
    }

    private func addRevisionRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>, apis: String) {
        routes.get("\(apis)/revisions") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            let listed = try await revisions.revisions(
                apiID: context.parameters.path("apiId"),
                deployed: try Self.deployedFilter(request.query("query")),
                by: principal
            )
            return JSONResponses.response(ListDTO(listed.map(APIRevisionDTO.init)))
        }
        routes.post("\(apis)/revisions") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            let body = try await services.decoder.body(of: request)
            let dto =
                body.isEmpty
                ? APIRevisionRequestDTO()
                : try services.decoder.decode(
                    APIRevisionRequestDTO.self, from: body, readOnlyFields: APIRevisionRequestDTO.readOnlyFields
                )
            let created = try await revisions.create(
                apiID: context.parameters.path("apiId"),
                description: dto.description,
                by: principal
            )
            return JSONResponses.response(APIRevisionDTO(created), status: .created)
        }
        routes.get("\(apis)/revisions/:revisionId") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            let revision = try await revisions.revision(
                apiID: context.parameters.path("apiId"),
                revisionID: context.parameters.path("revisionId"),
                by: principal
            )
            return JSONResponses.response(APIRevisionDTO(revision))
        }
        routes.delete("\(apis)/revisions/:revisionId") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            let remaining = try await revisions.delete(
                apiID: context.parameters.path("apiId"),
                revisionID: context.parameters.path("revisionId"),
                by: principal
            )
            return JSONResponses.response(ListDTO(remaining.map(APIRevisionDTO.init)))
        }
    }

    private func addDeploymentRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>, apis: String) {
        routes.get("\(apis)/deployments") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            let deployments = try await revisions.deployments(apiID: context.parameters.path("apiId"), by: principal)
            return JSONResponses.response(ListDTO(deployments.map(APIRevisionDeploymentDTO.init)))
        }
        routes.put("\(apis)/deployments/:deploymentId") { request, context in
            let principal = try await deployer(request, APIRevisionService.deployScopes)
            let dto = try await services.decoder.decode(
                RevisionDeploymentRequestDTO.self, from: request, readOnlyFields: RevisionDeploymentRequestDTO.readOnlyFields
            )
            let updated = try await revisions.updateDeployment(
                apiID: context.parameters.path("apiId"),
                deploymentID: context.parameters.path("deploymentId"),
                displayOnDevportal: dto.displayOnDevportal ?? true,
                by: principal
            )
            return JSONResponses.response(APIRevisionDeploymentDTO(updated))
        }
        routes.post("\(apis)/deploy-revision") { request, context in
            let principal = try await deployer(request, APIRevisionService.deployScopes)
            let deployments = try await revisions.deploy(
                apiID: context.parameters.path("apiId"),
                revisionID: try request.requiredQuery("revisionId"),
                to: try await targets(of: request),
                by: principal
            )
            // WSO2's server answers 201 (its definition says 200); clients take both.
            return JSONResponses.response(deployments.map(APIRevisionDeploymentDTO.init), status: .created)
        }
        routes.post("\(apis)/undeploy-revision") { request, context in
            let principal = try await deployer(request, APIRevisionService.undeployScopes)
            let apiID = context.parameters.path("apiId")
            let allEnvironments = try Self.flag(request.query("allEnvironments"), named: "allEnvironments")
            let remaining = try await revisions.undeploy(
                apiID: apiID,
                revisionID: try await revisionID(of: request, apiID: apiID, by: principal),
                from: try await targets(of: request, required: !allEnvironments),
                allEnvironments: allEnvironments,
                by: principal
            )
            return JSONResponses.response(remaining.map(APIRevisionDeploymentDTO.init), status: .created)
        }
        routes.post("\(apis)/restore-revision") { request, context in
            let principal = try await deployer(request, APIRevisionService.restoreScopes)
            let restored = try await revisions.restore(
                apiID: context.parameters.path("apiId"),
                revisionID: try request.requiredQuery("revisionId"),
                by: principal
            )
            return JSONResponses.response(APIResponseDTO(record: restored), status: .created)
        }
    }

    // MARK: - Request parts

    /// The caller, checked for `scopes` before the request's parameters and body are read (a caller without them
    /// learns nothing about the request's mistakes).
    private func deployer(_ request: Request, _ scopes: [String]) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(scopes)
        return principal
    }

    /// The environments of a deploy or undeploy body: a JSON array of WSO2's `APIRevisionDeployment`.
    private func targets(of request: Request, required: Bool = true) async throws -> [APIRevisionService.Target] {
        let body = try await services.decoder.body(of: request)
        if body.isEmpty && !required { return [] }
        guard let elements = try? JSONSerialization.jsonObject(with: body) as? [Any] else {
            throw ManagementError.badRequest(
                #"The body must be a JSON array of deployments: [{"name": "Default", "vhost": "localhost"}]"#
            )
        }
        return try elements.enumerated().map { index, element in
            guard JSONSerialization.isValidJSONObject(element) else {
                throw ManagementError.badRequest("[\(index)]: a deployment must be a JSON object")
            }
            let data = try JSONSerialization.data(withJSONObject: element)
            return try services.decoder.decode(
                RevisionDeploymentRequestDTO.self, from: data, readOnlyFields: RevisionDeploymentRequestDTO.readOnlyFields
            ).target(index: index)
        }
    }

    /// `revisionId`, else the id of revision `revisionNumber`, else nil (whatever is deployed).
    private func revisionID(of request: Request, apiID: String, by principal: Principal) async throws -> String? {
        if let id = request.query("revisionId"), !id.isEmpty { return id }
        guard let text = request.query("revisionNumber"), !text.isEmpty else { return nil }
        guard let number = Int(text) else { throw ManagementError.badRequest("revisionNumber must be an integer") }
        let all = try await revisions.revisions(apiID: apiID, by: principal)
        guard let revision = all.first(where: { $0.record.number == number }) else {
            throw ManagementError.wso2(
                .notFound, code: 900347, "API Revision Not Found", "Requested API Revision with number \(number) not found"
            )
        }
        return revision.record.id
    }

    private static func flag(_ value: String?, named name: String) throws -> Bool {
        guard let value else { return false }
        guard let flag = Bool(value.lowercased()) else { throw ManagementError.badRequest("\(name) must be true or false") }
        return flag
    }

    /// WSO2's revision search: `deployed:true` or `deployed:false`; nil for no query.
    static func deployedFilter(_ query: String?) throws -> Bool? {
        guard let query, !query.isEmpty else { return nil }
        let parts = query.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, parts[0] == "deployed", let deployed = Bool(parts[1].lowercased()) else {
            throw ManagementError.badRequest("query: use deployed:true or deployed:false")
        }
        return deployed
    }
}
