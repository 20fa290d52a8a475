import SluiceModel

/// `<header scope="transport">` ready to run: sets or removes an HTTP header of the current message.
///
/// In the default scope (SOAP headers) only removing a WS-Addressing header (`To`, `From`, `Action`,
/// `ReplyTo`, `FaultTo`, `MessageID`, `RelatesTo`) is accepted, as a no-op: Sluice never adds addressing
/// headers, so there is nothing to remove (WSO2's stock sequences do `<header name="To" action="remove"/>`).
/// Other SOAP header edits are refused at deploy time: Sluice does not edit SOAP envelopes.
struct CompiledHeaderMediator: CompiledMediator {
    let name: String
    let value: CompiledValue?
    let action: PropertyMediator.Action
    /// True for the accepted no-op SOAP header removals.
    let isAddressingRemoval: Bool

    static let addressingHeaders: Set<String> = [
        "To", "From", "Action", "ReplyTo", "FaultTo", "MessageID", "RelatesTo",
    ]

    init(_ node: HeaderMediator, location: SourceLocation?) throws(MediationCompileError) {
        let localName = String(node.name.split(separator: ":").last ?? "")
        isAddressingRemoval =
            node.scope == .default && node.action == .remove && Self.addressingHeaders.contains(localName)
        guard node.scope == .transport || isAddressingRemoval else {
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

    var readsBody: Bool { value?.readsBody ?? false }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        if isAddressingRemoval { return .proceed }
        guard action == .set, let value else {
            context.headers.remove(name: name)
            return .proceed
        }
        guard let text = try value.string(&context) else { return .proceed }
        context.headers.replaceOrAdd(name: name, value: text)
        return .proceed
    }
}
