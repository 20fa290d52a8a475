import SluiceModel
import SluiceSynapse

extension APITemplateBuilder {
    /// The resource of `operation` with its operation policies' mediation: the request flow's before the generated
    /// inSequence, the response flow's before the generated outSequence, the fault flow's before the `fault`
    /// sequence (as WSO2 4.x's template places them).
    /// - Throws: `APIValidationError` when a policy's mediation was never rendered or does not parse.
    func resourceWithPolicies(for operation: APIOperation, endpoints: EndpointPair, field: String)
        throws(APIValidationError) -> APIResource
    {
        var resource = resource(for: operation, endpoints: endpoints)
        guard let policies = operation.operationPolicies, !policies.isEmpty else { return resource }
        let request = try Self.mediators(of: policies.request, field: "\(field).operationPolicies.request")
        let response = try Self.mediators(of: policies.response, field: "\(field).operationPolicies.response")
        let fault = try Self.mediators(of: policies.fault, field: "\(field).operationPolicies.fault")
        if case .inline(let generated) = resource.inSequence { resource.inSequence = .inline(request + generated) }
        if case .inline(let generated) = resource.outSequence { resource.outSequence = .inline(response + generated) }
        if !fault.isEmpty { resource.faultSequence = .inline(fault + [.sequence(key: Self.faultSequenceKey)]) }
        return resource
    }

    /// The mediators of the policies of one flow, in order.
    static func mediators(of policies: [APIOperationPolicy], field: String) throws(APIValidationError) -> [MediatorNode] {
        var mediators: [MediatorNode] = []
        for (index, policy) in policies.enumerated() {
            guard let mediation = policy.mediation else {
                throw APIValidationError(issues: [
                    .init(field: "\(field)[\(index)]", message: "the policy \(policy.policyName) was not resolved")
                ])
            }
            let parsed: SynapseArtifacts
            do {
                parsed = try SynapseParser().parse(xml: mediation, fileName: "\(policy.policyName)_\(policy.policyVersion)")
            } catch {
                throw APIValidationError(issues: [
                    .init(field: "\(field)[\(index)]", message: "the policy \(policy.policyName) does not parse: \(error)")
                ])
            }
            mediators += parsed.sequences.first?.mediators ?? []
        }
        return mediators
    }
}
