extension ManagementOpenAPIDocument {
    /// Thumbnails, API categories, labels and the publisher's existence checks.
    static let catalogOperations: [Operation] = {
        typealias Rules = APICatalogController
        let thumbnail = "\(publisher)/apis/{apiId}/thumbnail"
        let categories = "\(admin)/api-categories"
        let labels = "\(admin)/labels"
        let categoryAdmin = Access.anyScope(Rules.categoryAdminScopes)
        let labelAdmin = Access.scope("apim:admin")
        return [
            op("GET", thumbnail, "The API's thumbnail image (ETag, If-None-Match)", .anyScope(Rules.thumbnailReadScopes)),
            op(
                "PUT", thumbnail, "Upload a PNG, JPEG, GIF or WebP thumbnail of at most 1 MiB: a form with file",
                .anyScope(Rules.apiEditScopes), body: "Thumbnail"
            ),
            op("GET", "\(devportal)/apis/{apiId}/thumbnail", "The API's thumbnail image (ETag, If-None-Match)", .optional),
            op("GET", "\(publisher)/api-categories", "API categories", .anyScope(Rules.publisherListScopes)),
            op("GET", "\(devportal)/api-categories", "API categories", .optional),
            op("GET", categories, "API categories with how many APIs use each", categoryAdmin),
            op("POST", categories, "Create an API category", categoryAdmin, body: "Grouping"),
            op("PUT", "\(categories)/{apiCategoryId}", "Rename or redescribe an API category", categoryAdmin, body: "Grouping"),
            op("DELETE", "\(categories)/{apiCategoryId}", "Delete an API category no API uses", categoryAdmin),
            op("GET", "\(publisher)/labels", "Labels", .anyScope(Rules.publisherListScopes)),
            op("GET", labels, "Labels", labelAdmin),
            op("POST", labels, "Create a label", labelAdmin, body: "Grouping"),
            op("PUT", "\(labels)/{labelId}", "Rename or redescribe a label", labelAdmin, body: "Grouping"),
            op("DELETE", "\(labels)/{labelId}", "Delete a label no API uses", labelAdmin),
            op("GET", "\(labels)/{labelId}/usage", "The APIs a label is attached to", labelAdmin),
            op("GET", "\(publisher)/apis/{apiId}/labels", "The API's labels", .anyScope(["apim:api_view"] + Rules.apiEditScopes)),
            op(
                "POST", "\(publisher)/apis/{apiId}/attach-labels", "Attach labels (ids or names)", .anyScope(Rules.apiEditScopes),
                body: "LabelReferences", status: "200"
            ),
            op(
                "POST", "\(publisher)/apis/{apiId}/detach-labels", "Detach labels (ids or names)", .anyScope(Rules.apiEditScopes),
                body: "LabelReferences", status: "200"
            ),
            op(
                "POST", "\(publisher)/apis/validate", "200 when an API matches query (name:, context:, version:), else 404",
                .anyScope(PublisherValidationController.apiScopes)
            ),
            op(
                "POST", "\(publisher)/apis/{apiId}/documents/validate", "200 when the API has a document of that name, else 404",
                .anyScope(PublisherValidationController.documentScopes)
            ),
            op(
                "GET", "\(admin)/throttling/policies/search", "Throttling policies of every level (query: type:sub|app|api, name:)",
                .anyScope(AdminPolicySearchController.scopes)
            ),
        ]
    }()

    static var catalogSchemas: [String: Any] {
        [
            "Thumbnail": object(["file"], ["file": "string"]),
            "Grouping": object(["name"], ["name": "string", "description": "string"]),
            "LabelReferences": object(["labels"], ["labels": "string[]"]),
        ]
    }
}
