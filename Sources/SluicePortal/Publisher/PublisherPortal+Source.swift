import Hummingbird
import SluiceArtifacts
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// The Synapse XML source view of an API: the artifact the gateway gets, read-only, and an editor whose text is
/// parsed and validated as the gateway would before anything is stored (``APISourceService``). A refused edit
/// comes back with the diagnostics, their line and column, next to the editor, and nothing is saved.
extension PublisherPortal {
    var sources: APISourceService { APISourceService(services: portal.services, logger: portal.logger) }

    func addSourceRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/publisher/apis/:apiId/source") { request, context in
            try await source(request, apiID: context.parameters.require("apiId"))
        }
        router.get("/publisher/apis/:apiId/source/edit") { request, context in
            try await editSource(request, apiID: context.parameters.require("apiId"))
        }
        router.post("/publisher/apis/:apiId/source") { request, context in
            try await saveSource(request, apiID: context.parameters.require("apiId"))
        }
        router.post("/publisher/apis/:apiId/source/revert") { request, context in
            try await revertSource(request, apiID: context.parameters.require("apiId"))
        }
    }

    private func source(_ request: Request, apiID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        let record = try await apis.api(apiID)
        let view = try await sources.view(apiID: apiID)
        var values = sourceValues(record, view: view, current: "Source")
        values["listing"] = SourceListing(source: view.effective ?? "")
        values["hasSource"] = view.effective != nil
        values["generatedListing"] = SourceListing(source: view.generated ?? "")
        values["canEdit"] = principal.has("apim:api_create") && view.effective != nil
        return portal.page(
            "publisher/source",
            title: "Source of \(record.name)",
            session: session,
            area: .publisher,
            values: values
        )
    }

    private func editSource(_ request: Request, apiID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        try principal.require("apim:api_create")
        let record = try await apis.api(apiID)
        let view = try await sources.view(apiID: apiID)
        return sourceEditor(record, view: view, text: view.effective ?? "", problems: [], session: session)
    }

    private func saveSource(_ request: Request, apiID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        let form = try await form(request, session)
        let text = (form["source"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        do {
            let (record, warnings) = try await sources.saveReportingWarnings(text, apiID: apiID, by: principal)
            let live = record.lifecycleState.isDeployed && record.lifecycleState != .blocked
            let until = record.lifecycleState == .blocked ? "re-published" : "published"
            var message =
                live
                ? "Saved the edited source; the gateway serves it now."
                : "Saved the edited source; it is deployed when the API is \(until)."
            // What deploys but faults when reached, or what Synapse reads past: the gateway logs it, so say it here.
            if !warnings.isEmpty {
                message += warnings.count == 1 ? " 1 warning:" : " \(warnings.count) warnings:"
            }
            let details = warnings.map { "Line \($0.line), column \($0.column): warning: \($0.message)" }
            return portal.redirect(
                to: "/publisher/apis/\(apiID)/source",
                flash: .init(message, details: details),
                session: session
            )
        } catch let error as APISourceError {
            let record = try await apis.api(apiID)
            let view = try await sources.view(apiID: apiID)
            return sourceEditor(record, view: view, text: text, problems: error.problems, session: session)
        }
    }

    private func revertSource(_ request: Request, apiID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        _ = try await form(request, session)
        return try await redirectAfter(session, onFailure: "/publisher/apis/\(apiID)/source") {
            _ = try await sources.revertToGenerated(apiID: apiID, by: principal)
            return ("/publisher/apis/\(apiID)/source", "Reverted to the generated source")
        }
    }

    private func sourceEditor(
        _ record: APIRecord,
        view: APISourceService.SourceView,
        text: String,
        problems: [APISourceError.Problem],
        session: PortalSession
    ) -> Response {
        var values = sourceValues(record, view: view, current: "Source")
        values["text"] = text
        values["rows"] = min(max(text.split(separator: "\n", omittingEmptySubsequences: false).count + 2, 16), 48)
        let listing = SourceListing(source: text, problems: problems)
        values["diagnostics"] = listing.diagnostics
        values["hasDiagnostics"] = listing.hasDiagnostics
        values["problemCount"] = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return portal.page(
            "publisher/source-edit",
            title: "Edit source of \(record.name)",
            session: session,
            area: .publisher,
            values: values,
            status: problems.isEmpty ? .ok : .unprocessableContent
        )
    }

    private func sourceValues(_ record: APIRecord, view: APISourceService.SourceView, current: String) -> [String: Any]
    {
        var values = summary(record)
        values["tabs"] = tabs(record.id, current: current)
        values["fileName"] = view.fileName
        values["isOverride"] = view.override != nil
        values["renderedState"] = view.renderedState.rawValue
        values["generationProblem"] = view.generationProblem ?? ""
        values["hasGenerationProblem"] = view.generationProblem != nil
        values["isBlocked"] = record.lifecycleState == .blocked
        values["isLive"] = record.lifecycleState.isDeployed && record.lifecycleState != .blocked
        return values
    }
}
