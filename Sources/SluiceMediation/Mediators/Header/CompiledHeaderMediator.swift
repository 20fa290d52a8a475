import SluiceModel

/// `<header>` ready to run.
///
/// - Transport scope: sets or removes an HTTP header of the current message.
/// - Default scope, WS-Addressing name: sets or clears the message's addressing property (`get-property('To')`...).
///   `To` is where `<send/>` without an endpoint forwards a request; `Action` also becomes the `SOAPAction` of a
///   SOAP 1.1 message (the `action` of a SOAP 1.2 `Content-Type`).
/// - Default scope, qualified name or embedded XML: adds or removes header blocks of a SOAP envelope. A REST
///   message has no envelope on the wire, so there it changes nothing (Synapse's implicit envelope is dropped).
struct CompiledHeaderMediator: CompiledMediator {
    enum Target {
        case transport(String)
        case addressing(String)
        case soapHeader(namespace: String, prefix: String, localName: String, isXML: Bool)
        case embedded(String)
    }

    let target: Target
    let value: CompiledValue?
    let action: PropertyMediator.Action

    init(_ node: HeaderMediator, compilation: MediatorCompilation) throws(MediationCompileError) {
        action = node.action
        value = try node.value.map { source throws(MediationCompileError) in try compilation.value(source) }
        switch (node.scope, node.name, node.namespace) {
        case (.transport, let name?, _):
            target = .transport(name)
        case (.default, let name?, let namespace?):
            let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
            target = .soapHeader(
                namespace: namespace,
                prefix: parts[0],
                localName: parts.count > 1 ? parts[1] : name,
                isXML: node.valueType?.uppercased() == "OM"
            )
        case (.default, let name?, nil):
            guard HeaderMediator.addressingNames.contains(name) else {
                throw compilation.error(
                    .unsupported("SOAP header '\(name)' without a namespace; SOAP headers must be namespace qualified")
                )
            }
            target = .addressing(name)
        case (_, nil, _):
            guard let xml = node.embeddedXML else {
                throw compilation.error(.unsupported("header without a name or embedded XML"))
            }
            target = .embedded(xml)
        }
    }

    var readsBody: Bool {
        switch target {
        case .soapHeader, .embedded: true
        case .transport, .addressing: value?.readsBody ?? false
        }
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        let text: String? = action == .set ? try value?.string(&context) ?? "" : nil
        switch target {
        case .transport(let name):
            if let text { context.headers.replaceOrAdd(name: name, value: text) } else { context.headers.remove(name: name) }
        case .addressing(let name):
            context.setAddressing(name, to: text)
        case .soapHeader(let namespace, let prefix, let localName, let isXML):
            let edit: SOAPHeaderBlocks.Edit =
                text.map { .add(namespace: namespace, prefix: prefix, localName: localName, value: $0, isXML: isXML) }
                ?? .remove(namespace: namespace, localName: localName)
            try SOAPHeaderBlocks.apply(edit, to: &context)
        case .embedded(let xml):
            // Removing an embedded header has no name to remove by; Synapse ignores it too.
            if action == .set { try SOAPHeaderBlocks.apply(.addBlocks(xml), to: &context) }
        }
        return .proceed
    }
}
