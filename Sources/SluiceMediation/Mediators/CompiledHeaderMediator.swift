import SluiceModel

/// `<header scope="transport">` ready to run: sets or removes an HTTP header of the current message.
///
/// The default scope (SOAP headers) is refused at deploy time: Sluice does not edit SOAP envelopes.
struct CompiledHeaderMediator: Sendable {
    let name: String
    let value: CompiledValue?
    let action: PropertyMediator.Action

    init(_ node: HeaderMediator, location: SourceLocation?) throws(MediationCompileError) {
        guard node.scope == .transport else {
            throw MediationCompileError(
                .unsupported("header '\(node.name)' in the default (SOAP header) scope; use scope=\"transport\""),
                location: location
            )
        }
        if node.action == .set, node.value == nil {
            throw MediationCompileError(
                .unsupported("header '\(node.name)' without value or expression"),
                location: location
            )
        }
        name = node.name
        action = node.action
        value = try node.value.map { source throws(MediationCompileError) in
            try CompiledValue(source, location: location)
        }
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) {
        guard action == .set, let value else {
            context.headers.remove(name: name)
            return
        }
        guard let text = try value.string(&context) else { return }
        context.headers.replaceOrAdd(name: name, value: text)
    }
}
