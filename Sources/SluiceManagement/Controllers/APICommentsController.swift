import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceStorage

/// WSO2's `Comments` of the publisher and the devportal: `/apis/{apiId}/comments` (top-level comments with their
/// first replies, paged), `.../comments/{commentId}` (GET with a page of replies, PATCH by the author, DELETE by the
/// author or an administrator) and `.../replies`. Rules live in ``APICommentService``.
struct APICommentsController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// Who may do what under one base path.
    struct Rules: Sendable {
        var portal: APICommentService.Portal
        /// Reading; nil: anyone, credentials optional.
        var read: [String]?
        var write: [String]
        var delete: [String]
        /// The query parameter naming the parent of a reply (WSO2 spells it differently per API).
        var parentParameter: String
    }

    static let publisherRules = Rules(
        portal: .publisher,
        read: ["apim:api_view", "apim:comment_view", "apim:comment_manage"],
        write: ["apim:comment_write", "apim:comment_manage"],
        delete: ["apim:comment_write", "apim:comment_manage", "apim:admin"],
        parentParameter: "parentCommentID"
    )
    static let devportalRules = Rules(
        portal: .devportal,
        read: nil,
        write: ["apim:subscribe"],
        delete: ["apim:subscribe", "apim:admin"],
        parentParameter: "parentCommentId"
    )

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        for (prefix, rules) in [
            (PublisherAPIsController.prefix, Self.publisherRules), (DevPortalAPIsController.prefix, Self.devportalRules),
        ] {
            let base = "\(prefix)/apis/:apiId/comments"
            routes.get(base) { request, context in
                try await list(request, context.parameters.path("apiId"), rules)
            }
            routes.post(base) { request, context in
                try await add(request, context.parameters.path("apiId"), rules, prefix: prefix)
            }
            routes.get("\(base)/:commentId") { request, context in
                try await one(request, context.parameters.path("apiId"), context.parameters.path("commentId"), rules)
            }
            routes.on(.patch, "\(base)/:commentId") { request, context in
                try await edit(request, context.parameters.path("apiId"), context.parameters.path("commentId"), rules)
            }
            routes.delete("\(base)/:commentId") { request, context in
                try await delete(request, context.parameters.path("apiId"), context.parameters.path("commentId"), rules)
            }
            routes.get("\(base)/:commentId/replies") { request, context in
                try await replies(request, context.parameters.path("apiId"), context.parameters.path("commentId"), rules)
            }
        }
    }

    private func service(_ rules: Rules) -> APICommentService { APICommentService(services: services, portal: rules.portal) }

    private func list(_ request: Request, _ apiID: String, _ rules: Rules) async throws -> Response {
        let principal = try await reader(request, rules)
        let page = try request.pagination()
        let replyLimit = try Self.count(request, "replyLimit", default: 25)
        let found = try await service(rules).comments(
            apiID: apiID, principal: principal, limit: page.limit, offset: page.offset, replyLimit: replyLimit
        )
        let profiles = try await commenters(request, found.comments.flatMap { [$0.comment] + $0.replies })
        let items = found.comments.map { CommentResponseDTO($0, replyOffset: 0, replyLimit: replyLimit, profiles: profiles) }
        return JSONResponses.response(CommentListDTO(items, offset: page.offset, limit: page.limit, total: found.total))
    }

    private func one(_ request: Request, _ apiID: String, _ commentID: String, _ rules: Rules) async throws -> Response {
        let principal = try await reader(request, rules)
        let replyLimit = try Self.count(request, "replyLimit", default: 25)
        let replyOffset = try Self.count(request, "replyOffset", default: 0)
        let thread = try await service(rules).comment(
            apiID: apiID, commentID: commentID, principal: principal, replyLimit: replyLimit, replyOffset: replyOffset
        )
        let profiles = try await commenters(request, [thread.comment] + thread.replies)
        return JSONResponses.response(
            CommentResponseDTO(thread, replyOffset: replyOffset, replyLimit: replyLimit, profiles: profiles)
        )
    }

    private func replies(_ request: Request, _ apiID: String, _ commentID: String, _ rules: Rules) async throws -> Response {
        let principal = try await reader(request, rules)
        let page = try request.pagination()
        let thread = try await service(rules).comment(
            apiID: apiID, commentID: commentID, principal: principal, replyLimit: page.limit, replyOffset: page.offset
        )
        let profiles = try await commenters(request, thread.replies)
        let items = thread.replies.map { CommentResponseDTO($0, profiles: profiles) }
        return JSONResponses.response(CommentListDTO(items, offset: page.offset, limit: page.limit, total: thread.replyCount))
    }

    private func add(_ request: Request, _ apiID: String, _ rules: Rules, prefix: String) async throws -> Response {
        let principal = try await caller(request, rules.write)
        let dto = try await services.decoder.decode(CommentDTO.self, from: request, readOnlyFields: CommentDTO.readOnlyFields)
        let parent = request.query(rules.parentParameter) ?? request.query("parentCommentId") ?? dto.parentCommentId
        let record = try await service(rules).add(apiID: apiID, content: dto.content, parentID: parent, principal: principal)
        return JSONResponses.response(
            CommentResponseDTO(record, profiles: [:]),
            status: .created,
            headers: [.location: "\(prefix)/apis/\(apiID)/comments/\(record.id)"]
        )
    }

    private func edit(_ request: Request, _ apiID: String, _ commentID: String, _ rules: Rules) async throws -> Response {
        let principal = try await caller(request, rules.write)
        let dto = try await services.decoder.decode(CommentDTO.self, from: request, readOnlyFields: CommentDTO.readOnlyFields)
        let record = try await service(rules).update(apiID: apiID, commentID: commentID, content: dto.content, principal: principal)
        return JSONResponses.response(CommentResponseDTO(record, profiles: [:]))
    }

    private func delete(_ request: Request, _ apiID: String, _ commentID: String, _ rules: Rules) async throws -> Response {
        let principal = try await caller(request, rules.delete)
        try await service(rules).delete(apiID: apiID, commentID: commentID, principal: principal)
        return JSONResponses.empty()
    }

    // MARK: - Helpers

    private func reader(_ request: Request, _ rules: Rules) async throws -> Principal? {
        guard let scopes = rules.read else { return try await services.authenticator.optionalPrincipal(for: request) }
        return try await caller(request, scopes)
    }

    private func caller(_ request: Request, _ scopes: [String]) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(scopes)
        return principal
    }

    /// The profiles of the comments' authors when `includeCommenterInfo=true`; else none.
    private func commenters(_ request: Request, _ comments: [APICommentRecord]) async throws -> [String: UserRecord] {
        guard try request.booleanQuery("includeCommenterInfo", default: false) else { return [:] }
        return try await APICommentService(services: services, portal: .devportal).commenters(of: comments)
    }

    private static func count(_ request: Request, _ name: String, default value: Int) throws(ManagementError) -> Int {
        guard let text = request.query(name) else { return value }
        guard let number = Int(text), number >= 0 else {
            throw ManagementError.badRequest("\(name) must be a non-negative integer")
        }
        return min(number, 1_000)
    }
}
