import SluiceControlPlane

extension ManagementOpenAPIDocument {
    /// WSO2's "API Products", "API Product Lifecycle", "API Product Documents" and "API Product Revisions".
    static let productOperations: [Operation] = {
        let products = "\(publisher)/api-products"
        let product = "\(products)/{apiId}"
        let view = Access.scope("apim:api_view")
        let create = Access.scope("apim:api_create")
        let documents = "\(product)/documents"
        return [
            op("GET", products, "List API products (query, limit, offset)", view),
            op("POST", products, "Create an API product from operations of APIs", create, body: "APIProduct"),
            op("GET", product, "Get an API product", view),
            op("PUT", product, "Update an API product (redeployed when deployed)", create, body: "APIProduct"),
            op("DELETE", product, "Delete an API product without subscriptions", .scope("apim:api_delete")),
            op("GET", "\(product)/swagger", "OpenAPI 3 document of the API product", view),
            op(
                "GET", "\(product)/thumbnail", "The API product's thumbnail image (ETag, If-None-Match)",
                .anyScope(APICatalogController.thumbnailReadScopes)
            ),
            op(
                "PUT", "\(product)/thumbnail", "Upload a PNG, JPEG, GIF or WebP thumbnail of at most 1 MiB: a form with file",
                .anyScope(APICatalogController.apiEditScopes), body: "Thumbnail"
            ),
            op("GET", "\(product)/is-outdated", "Whether an API of the product changed since its artifact was built", view),
            op(
                "POST", "\(products)/copy-api-products", "Copy an API product into a new version (apiProductId, newVersion)",
                create
            ),
            op(
                "POST", "\(products)/change-lifecycle", "Change the lifecycle state (apiProductId, action)",
                .scope("apim:api_publish")
            ),
            op("GET", "\(product)/lifecycle-state", "Lifecycle state and allowed actions", view),
            op("GET", "\(product)/lifecycle-history", "Lifecycle history", view),
            op("GET", documents, "List documents", view),
            op("POST", documents, "Add a document", .scope("apim:document_create"), body: "Document"),
            op("GET", "\(documents)/{documentId}", "Get a document", view),
            op("PUT", "\(documents)/{documentId}", "Update a document", .scope("apim:document_manage"), body: "Document"),
            op("DELETE", "\(documents)/{documentId}", "Delete a document", .scope("apim:document_manage")),
            op("GET", "\(documents)/{documentId}/content", "Document content", view),
            op(
                "POST", "\(documents)/{documentId}/content", "Upload document content: a multipart form",
                .anyScope(["apim:document_create", "apim:document_manage"]), body: "DocumentContent"
            ),
        ] + revisionOperations(base: product, what: "API product")
    }()

    /// The request bodies of the product operations.
    static var productSchemas: [String: Any] {
        [
            "APIProduct": object(
                ["name", "context", "apis"],
                [
                    "name": "string", "context": "string", "version": "string", "description": "string",
                    "provider": "string", "policies": "string[]", "visibility": "string", "apis": "object[]",
                    "categories": "string[]",
                ]
            )
        ]
    }
}
