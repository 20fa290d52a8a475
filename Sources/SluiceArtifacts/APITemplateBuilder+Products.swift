import SluiceModel
import SluiceSynapse

/// One resource of an API product: an operation of an API, offered under the product's context with the product's
/// authentication, tier and scopes for it.
public struct APIProductPart: Sendable {
    /// The operation as the product offers it (target and verb as in the API).
    public var operation: APIOperation
    /// The API the operation belongs to, as its gateway serves it.
    public var api: APIDefinition

    /// Creates a part.
    public init(operation: APIOperation, api: APIDefinition) {
        self.operation = operation
        self.api = api
    }
}

extension APITemplateBuilder {
    /// The artifact of an API product (WSO2's `APIProduct`): the product's name, context, version and handler chain
    /// (its tiers, its subscriptions), and for each resource the mediation the resource's API generates, sending to
    /// that API's endpoints. Endpoint names carry the product's name, so they never clash with the API's own.
    /// - Parameters:
    ///   - product: The product as a definition: its operations are the product's resources, in `parts`' order.
    ///   - parts: Each resource with its API.
    /// - Returns: The `<api>` XML the product's versioned artifact file holds.
    /// - Throws: `APIValidationError` when the product or one of its APIs cannot be deployed.
    public func productSource(for product: APIDefinition, parts: [APIProductPart]) throws(APIValidationError) -> String {
        var api = try self.api(for: product, status: .published)
        for (index, part) in parts.enumerated() where index < api.resources.count {
            try part.api.validate(forDeployment: true)
            let endpoints = EndpointPair(
                definition: part.api,
                apiName: "\(apiName(for: product))--\(part.api.name)_v\(part.api.version)"
            )
            let forwarded = try resourceWithPolicies(for: part.operation, endpoints: endpoints, field: "apis.operations[\(index)]")
            api.resources[index].inSequence = forwarded.inSequence
            api.resources[index].outSequence = forwarded.outSequence
            api.resources[index].faultSequence = forwarded.faultSequence
        }
        return SynapseSerializer.xml(for: api)
    }
}
