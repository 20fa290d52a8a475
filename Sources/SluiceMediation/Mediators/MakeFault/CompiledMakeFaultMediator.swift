import SluiceModel
internal import SluiceXML

/// `<makefault>` ready to run: builds the fault envelope (or POX `<Exception>`) and makes it the message, with
/// status 500 as Synapse's transport answers a fault; `response="true"` marks the message as the response.
///
/// Without `version`, a REST message gets a POX fault and a SOAP message a fault of its own SOAP version. A POX
/// fault of a JSON message is written as JSON (`{"Exception":"..."}`), as WSO2's JSON formatter would. The SOAP
/// header blocks of a SOAP message are carried over into the fault envelope when its body was read.
struct CompiledMakeFaultMediator: CompiledMediator {
    let version: MakeFaultMediator.Version?
    let markAsResponse: Bool
    let code: Code?
    let reason: CompiledValue?
    let node: String?
    let role: String?
    let detail: Detail?

    enum Code {
        case qualifiedName(prefix: String, localName: String, namespace: String)
        case expression(CompiledExpression)
    }

    enum Detail {
        case text(String)
        case expression(CompiledExpression)
        case elements(String)
    }

    init(_ node: MakeFaultMediator, compilation: MediatorCompilation) throws(MediationCompileError) {
        version = node.version
        markAsResponse = node.response ?? false
        switch node.code {
        case .qualifiedName(let prefix, let localName, let namespace)?:
            code = .qualifiedName(prefix: prefix, localName: localName, namespace: namespace)
        case .expression(let expression)?:
            code = .expression(try compilation.expression(expression))
        case nil:
            code = nil
        }
        reason = try node.reason.map { source throws(MediationCompileError) in try compilation.value(source) }
        self.node = node.node
        role = node.role
        switch node.detail {
        case .text(let text)?: detail = .text(text)
        case .expression(let expression)?: detail = .expression(try compilation.expression(expression))
        case .elements(let markup)?: detail = .elements(markup)
        case nil: detail = nil
        }
    }

    var readsBody: Bool {
        if case .expression(let expression)? = code, expression.readsBody { return true }
        if case .expression(let expression)? = detail, expression.readsBody { return true }
        return reason?.readsBody ?? false
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        let soapVersion: SOAPVersion?
        switch version {
        case .soap11?: soapVersion = .soap11
        case .soap12?: soapVersion = .soap12
        case .pox?: soapVersion = nil
        case nil: soapVersion = context.soapVersion
        }
        if let soapVersion {
            let envelope = try soapFault(soapVersion, &context)
            context.replaceBody(with: envelope, contentType: soapVersion.contentType)
        } else {
            try poxFault(&context)
        }
        context.statusCode = 500
        if markAsResponse { context.isResponse = true }
        return .proceed
    }

    // MARK: - POX

    private func poxFault(_ context: inout MessageContext) throws(MediationFault) {
        let text: String
        switch detail {
        case .text(let value)?: text = value
        case .expression(let expression)?: text = try expression.string(&context) ?? ""
        case .elements?, nil: text = try reason?.string(&context) ?? ""
        }
        let contentType = context.headers.first(name: "Content-Type")?.lowercased() ?? ""
        if contentType.contains("json") {
            context.replaceBody(with: "{\"Exception\":" + JSONValue.quoted(text) + "}", contentType: "application/json")
        } else {
            context.replaceBody(
                with: "<Exception>" + XMLEscaping.escape(text) + "</Exception>",
                contentType: "application/xml"
            )
        }
    }

    // MARK: - SOAP

    private func soapFault(_ version: SOAPVersion, _ context: inout MessageContext) throws(MediationFault) -> String {
        let envelopeNamespace = version.envelopeNamespace
        let codeText: String
        var codeDeclaration = ""
        switch code {
        case .qualifiedName(let prefix, let localName, let namespace)?:
            if namespace == envelopeNamespace {
                codeText = "soapenv:" + localName
            } else {
                codeText = prefix + ":" + localName
                codeDeclaration = " xmlns:" + prefix + "=\"" + XMLEscaping.attribute(namespace) + "\""
            }
        case .expression(let expression)?:
            codeText = "soapenv:" + (try expression.string(&context) ?? "")
        case nil:
            throw MediationFault.mediatorFailed("makefault", "a SOAP fault needs a code")
        }
        let reasonText = XMLEscaping.escape(try reason?.string(&context) ?? "")
        let detailMarkup = try detailMarkup(&context)
        let headerMarkup = soapHeaderBlocks(&context)

        var output = "<soapenv:Envelope xmlns:soapenv=\"" + envelopeNamespace + "\">"
        if !headerMarkup.isEmpty { output += "<soapenv:Header>" + headerMarkup + "</soapenv:Header>" }
        output += "<soapenv:Body><soapenv:Fault>"
        switch version {
        case .soap11:
            output += "<faultcode" + codeDeclaration + ">" + codeText + "</faultcode>"
            output += "<faultstring>" + reasonText + "</faultstring>"
            if let role { output += "<faultactor>" + XMLEscaping.escape(role) + "</faultactor>" }
            if let detailMarkup { output += "<detail>" + detailMarkup + "</detail>" }
        case .soap12:
            output += "<soapenv:Code><soapenv:Value" + codeDeclaration + ">" + codeText + "</soapenv:Value></soapenv:Code>"
            output += "<soapenv:Reason><soapenv:Text xml:lang=\"en\">" + reasonText + "</soapenv:Text></soapenv:Reason>"
            if let node { output += "<soapenv:Node>" + XMLEscaping.escape(node) + "</soapenv:Node>" }
            if let role { output += "<soapenv:Role>" + XMLEscaping.escape(role) + "</soapenv:Role>" }
            if let detailMarkup { output += "<soapenv:Detail>" + detailMarkup + "</soapenv:Detail>" }
        }
        return output + "</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    }

    private func detailMarkup(_ context: inout MessageContext) throws(MediationFault) -> String? {
        switch detail {
        case .text(let text)?:
            return XMLEscaping.escape(text)
        case .elements(let markup)?:
            return markup
        case .expression(let expression)?:
            // Selected nodes go in as they are; any other value as text (WSO2's FaultMediator).
            switch try expression.evaluate(&context) {
            case .xpath(.nodes(let nodes)): return nodes.map(\.markup).joined()
            case let value: return XMLEscaping.escape(value.stringValue ?? "")
            }
        case nil:
            return nil
        }
    }

    /// The header blocks of the current SOAP envelope, when its body was read (Synapse moves them into the fault).
    private func soapHeaderBlocks(_ context: inout MessageContext) -> String {
        guard context.soapVersion != nil, let text = context.body.text, text.contains("Header") else { return "" }
        guard let result = try? XPathEngine.evaluate("$header/*", namespaces: [:], payload: text, context: context),
            case .nodes(let nodes) = result
        else { return "" }
        return nodes.map(\.markup).joined()
    }
}
