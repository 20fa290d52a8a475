extension ManagementOpenAPIDocument {
    /// Read-only lookups of the publisher: an API's resource paths, a subscription's subscriber, a policy by name.
    static let publisherLookupOperations: [Operation] = [
        op(
            "GET", "\(publisher)/apis/{apiId}/resource-paths", "The API's operations as numbered resource paths (limit, offset)",
            .anyScope(["apim:api_view", "apim:api_manage"])
        ),
        op(
            "GET", "\(publisher)/subscriptions/{subscriptionId}/subscriber-info",
            "The subscriber (the application's owner) and the profile claims this node holds",
            .anyScope(["apim:api_view", "apim:subscription_view", "apim:subscription_manage"])
        ),
        op(
            "GET", "\(publisher)/throttling-policies/{policyLevel}/{policyId}", "A subscription or api policy by name",
            .scope("apim:tier_view")
        ),
    ]
}
