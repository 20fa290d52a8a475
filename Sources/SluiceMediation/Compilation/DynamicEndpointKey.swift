import SluiceModel

/// An `<endpoint key-expression="..."/>` (or `key="{...}"`) inside `send` or `call`: the expression's value names
/// a deployed endpoint per message, as Synapse's resolving endpoint does.
struct DynamicEndpointKey: Sendable {
    let expression: CompiledExpression
    /// True when a deployed endpoint the key may name is a recipient list, whose copies carry the body whole.
    let mayNameRecipientList: Bool

    /// True when choosing or using the endpoint reads the body.
    var readsBody: Bool { expression.readsBody || mayNameRecipientList }

    /// The dynamic key of a reference, nil for any other endpoint.
    /// - Throws: `MediationCompileError.invalidExpression` for an expression that does not compile.
    static func of(
        _ definition: EndpointDefinition?,
        in compilation: MediatorCompilation
    ) throws(MediationCompileError) -> DynamicEndpointKey? {
        guard case .reference(let key)? = definition?.kind, let text = DynamicKey.expressionText(key) else { return nil }
        let parsed: SynapseExpression
        do {
            parsed = try SynapseExpression(parsing: text)
        } catch {
            throw compilation.error(.invalidExpression(text, reason: error.reason))
        }
        return DynamicEndpointKey(
            expression: try compilation.expression(parsed),
            mayNameRecipientList: compilation.scope.endpoints.values.contains(where: \.isRecipientList)
        )
    }

    /// The deployed endpoint the expression names for this message.
    /// - Throws: `MediationFault` when the expression gives nothing or a name no deployed endpoint has; the fault
    ///   sequence then answers, as in Synapse.
    func endpoint(for context: inout MessageContext, mediator: String) throws(MediationFault) -> ResolvedEndpoint {
        let name = try expression.evaluate(&context).stringValue?.trimmingWhitespace() ?? ""
        guard !name.isEmpty else {
            throw MediationFault.mediatorFailed(mediator, "the endpoint key \(expression.source) gave no endpoint name")
        }
        guard let endpoint = context.namedEndpoints?[name] else {
            throw MediationFault.mediatorFailed(
                mediator,
                "endpoint '\(name)' (from the key \(expression.source)) is not deployed"
            )
        }
        return endpoint
    }
}
