extension ManagementOpenAPIDocument {
    /// Comments on an API in the publisher, and the devportal's beyond listing, posting and deleting.
    static let commentOperations: [Operation] = {
        let read = Access.anyScope(APICommentsController.publisherRules.read ?? [])
        let write = Access.anyScope(APICommentsController.publisherRules.write)
        let publisherComments = "\(publisher)/apis/{apiId}/comments"
        let devportalComments = "\(devportal)/apis/{apiId}/comments"
        let paging = "(limit, offset; includeCommenterInfo)"
        return [
            op("GET", publisherComments, "Top-level comments with their first replies \(paging)", read),
            op("POST", publisherComments, "Add a comment, or a reply (parentCommentID)", write, body: "Comment"),
            op("GET", "\(publisherComments)/{commentId}", "A comment with a page of replies (replyLimit, replyOffset)", read),
            op("PATCH", "\(publisherComments)/{commentId}", "Edit an own comment", write, body: "Comment", status: "200"),
            op(
                "DELETE", "\(publisherComments)/{commentId}", "Delete a comment (its author or an administrator)",
                .anyScope(APICommentsController.publisherRules.delete)
            ),
            op("GET", "\(publisherComments)/{commentId}/replies", "Replies to a comment \(paging)", read),
            op("GET", "\(devportalComments)/{commentId}", "A comment with a page of replies (replyLimit, replyOffset)", .optional),
            op(
                "PATCH", "\(devportalComments)/{commentId}", "Edit an own comment", .scope("apim:subscribe"),
                body: "Comment", status: "200"
            ),
            op("GET", "\(devportalComments)/{commentId}/replies", "Replies to a comment \(paging)", .optional),
        ]
    }()
}
