import SluiceModel

/// Apache Synapse's `CalloutBlockMediator`, the `callout_block` function of the EIP library: a `callout` built
/// from the calling template's parameters. The call does not block: like `<callout>`, the gateway makes it on the
/// exchange's event loop and the template goes on with the answer in place.
///
/// - `service_URL` (required; blank faults with "The 'serviceURL' attribute is required for the Callout
///   mediator"), `action` (the SOAP action, optional).
/// - The request: `source_xpath` when it is a `{{path}}` (the first element it selects), else the XML property or
///   local entry `source_key` names, else the message faults with "The message 'source' must be specified for a
///   Callout mediator". The library's template defaults `source_xpath` to the first child of the SOAP body.
/// - The answer: in place of the first element `target_xpath` (a `{{path}}`) selects, else into the property
///   `target_key`, else the message faults with "The message 'target' must be specified for a Callout mediator".
///
/// A SOAP fault answer faults the message with `ERROR_CODE` 401000, as Synapse's blocking client does.
struct CalloutBlockMediator: CompiledMediator {
    /// The default endpoint the call goes through; `service_URL` becomes the message's `To` for it.
    let endpoint: ResolvedEndpoint

    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        guard let serviceURL = try EIPLibraryMediators.text("service_URL", in: context)?.trimmingWhitespace(),
            !serviceURL.isEmpty
        else {
            throw EIPLibraryMediators.fault("The 'serviceURL' attribute is required for the Callout mediator")
        }
        let action = try EIPLibraryMediators.text("action", in: context).flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
        let source: CompiledCalloutMediator.Source
        if case .path(let path)? = EIPLibraryMediators.parameter("source_xpath", in: context) {
            guard case .xpath = path.kind else { throw EIPLibraryMediators.fault("Invalid source XPath  ") }
            source = .xpath(path)
        } else if let key = EIPLibraryMediators.parameter("source_key", in: context) {
            source = .key(key.propertyValue.stringValue)
        } else {
            throw EIPLibraryMediators.fault("The message 'source' must be specified for a Callout mediator")
        }
        let target: CompiledCalloutMediator.Target
        if case .path(let path)? = EIPLibraryMediators.parameter("target_xpath", in: context) {
            guard case .xpath(let text, let namespaces) = path.kind else {
                throw EIPLibraryMediators.fault("Invalid target XPath  ")
            }
            target = .xpath(text, namespaces: namespaces)
        } else if let key = EIPLibraryMediators.parameter("target_key", in: context) {
            target = .key(key.propertyValue.stringValue)
        } else {
            throw EIPLibraryMediators.fault("The message 'target' must be specified for a Callout mediator")
        }
        let callout = CompiledCalloutMediator(endpoint: endpoint, action: action, source: source, target: target)
        // The callout keeps the message as it is now and puts it back with the answer; the `To` that points the
        // default endpoint at the service is set after that, so it does not outlive the call.
        let outcome = try callout.mediate(&context)
        context.addressing.to = serviceURL
        return outcome
    }
}
