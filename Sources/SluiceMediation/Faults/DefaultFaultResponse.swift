/// The built-in fault sequence's only mediator: answers with WSO2's runtime fault built from `ERROR_CODE` and
/// `ERROR_MESSAGE` (see `CompiledSequence.defaultFault`), then responds.
struct DefaultFaultResponse: CompiledMediator {
    var readsBody: Bool { false }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        let code = context[property: SynapseProperty.errorCode].flatMap { Int($0.stringValue) } ?? 0
        let message = context[property: SynapseProperty.errorMessage]?.stringValue ?? "Runtime Error"
        let fault = MediationFault(code: code, message: message)
        let response = FaultPayload.response(for: fault, context: context, requestHeaders: context.requestHeaders)
        context.statusCode = response.status
        context.headers = response.headers
        context.body = .buffered(response.body)
        context.isResponse = true
        return .stop(.respond)
    }
}
