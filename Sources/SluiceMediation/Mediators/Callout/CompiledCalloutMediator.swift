import NIOHTTP1
import SluiceModel

/// `<callout>` ready to run. It makes the outgoing message from the source, then enters two steps: a `call` to the
/// endpoint (the gateway invokes it on the exchange's event loop and resumes the sequence with the answer), and
/// the reply step, which brings the request back as it was and puts the answer at the target. The saved request
/// travels inside that reply step, so nothing is kept on the context.
struct CompiledCalloutMediator: CompiledMediator {
    enum Source: Sendable {
        case envelope
        case xpath(CompiledExpression)
        case key(String)
    }

    enum Target: Sendable {
        case xpath(String, namespaces: [String: String])
        case key(String)
        /// No `<target>`: the answer becomes the payload.
        case payload
    }

    /// Synapse's `CALLOUT_OPERATION_FAILED`: the service answered with a SOAP fault.
    static let operationFailed = 401000

    let endpoint: ResolvedEndpoint
    let action: String?
    let source: Source
    let target: Target

    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        let saved = SavedMessage(context)
        try makeRequest(&context)
        return .enter([CalloutInvocation(endpoint: endpoint), CalloutAnswer(saved: saved, target: target)])
    }

    /// Turns the message into what the service gets: a JSON payload and `type="envelope"` go as they are; XML gets
    /// the source element as its payload (in an envelope of the message's SOAP version for a SOAP message).
    private func makeRequest(_ context: inout MessageContext) throws(MediationFault) {
        defer { applyAction(&context) }
        if case .envelope = source { return }
        if try context.jsonBody(for: "callout") != nil { return }
        let element: String
        switch source {
        case .envelope:
            return
        case .xpath(let expression):
            guard case .xpath(let text, let namespaces) = expression.kind,
                let payload = try context.xmlPayload(for: "callout"),
                let first = try XPathEngine.selectedElements(text, namespaces: namespaces, payload: payload, context: context)
                    .first
            else {
                throw MediationFault.mediatorFailed(
                    "callout",
                    "the source '\(Self.sourceText(source))' does not select an XML element"
                )
            }
            element = first
        case .key(let key):
            let value = context.lookupProperty(scope: .default, name: key)?.stringValue.trimmingWhitespace() ?? ""
            guard value.hasPrefix("<") else {
                throw MediationFault.mediatorFailed("callout", "the source property '\(key)' does not hold XML")
            }
            element = value
        }
        if let version = context.soapVersion {
            context.body = .text(
                #"<soapenv:Envelope xmlns:soapenv="\#(version.envelopeNamespace)"><soapenv:Body>"#
                    + element + "</soapenv:Body></soapenv:Envelope>"
            )
        } else {
            context.body = .text(element)
        }
        context.headers.remove(name: "Content-Length")
        context.headers.remove(name: "Transfer-Encoding")
    }

    /// `action=` is the SOAP action of the request (and the WS-Addressing `Action` a SOAP-format endpoint uses).
    private func applyAction(_ context: inout MessageContext) {
        guard let action else { return }
        context.addressing.action = action
        switch context.soapVersion {
        case .soap11?:
            context.headers.replaceOrAdd(name: "SOAPAction", value: "\"" + action + "\"")
        case .soap12?:
            context.headers.replaceOrAdd(
                name: "Content-Type",
                value: SOAPVersion.soap12.contentType + "; action=\"" + action + "\""
            )
        case nil:
            break
        }
    }

    static func sourceText(_ source: Source) -> String {
        switch source {
        case .envelope: "envelope"
        case .xpath(let expression): expression.source
        case .key(let key): key
        }
    }
}

/// The request as it was before a callout, put back when the answer arrives.
struct SavedMessage: Sendable {
    let body: MessageBody
    let headers: HTTPHeaders
    let statusCode: Int?
    let isResponse: Bool
    let responseMarked: Bool
    let savedRequestHeaders: HTTPHeaders?
    let messageType: PropertyValue?
    let contentType: PropertyValue?
    let addressing: AddressingProperties

    init(_ context: MessageContext) {
        body = context.body
        headers = context.headers
        statusCode = context.statusCode
        isResponse = context.isResponse
        responseMarked = context.responseMarked
        savedRequestHeaders = context.savedRequestHeaders
        messageType = context.axis2Properties[SynapseProperty.messageType]
        contentType = context.axis2Properties[SynapseProperty.contentType]
        addressing = context.addressing
    }

    func restore(into context: inout MessageContext) {
        context.body = body
        context.headers = headers
        context.statusCode = statusCode
        context.isResponse = isResponse
        context.responseMarked = responseMarked
        context.savedRequestHeaders = savedRequestHeaders
        context.axis2Properties[SynapseProperty.messageType] = messageType
        context.axis2Properties[SynapseProperty.contentType] = contentType
        context.addressing = addressing
    }
}

/// The callout's call: the gateway invokes the endpoint and resumes with its answer as the message.
struct CalloutInvocation: CompiledMediator {
    let endpoint: ResolvedEndpoint

    var readsBody: Bool { false }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        .yield(.call(endpoint))
    }
}

/// The callout's answer: the request comes back and the answer goes to the target. A SOAP fault answer faults
/// the message with `ERROR_CODE` 401000, as Synapse's blocking client does. The answer's status becomes the
/// message's (`HTTP_SC`), as in Synapse.
struct CalloutAnswer: CompiledMediator {
    let saved: SavedMessage
    let target: CompiledCalloutMediator.Target

    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        let status = context.statusCode
        let answerType = context.headers.first(name: "Content-Type")
        let answerIsJSON = context.declaredFormat == .json
        let answer = context.body
        var element: String?
        if !answerIsJSON, let payload = try context.xmlPayload(for: "callout") {
            try Self.refuseFault(payload, context: context)
            let first = try XPathEngine.evaluate("$body/*[1]", namespaces: [:], payload: payload, context: context)
            if case .nodes(let nodes) = first { element = nodes.first?.markup }
        }
        saved.restore(into: &context)
        context.statusCode = status
        switch target {
        case .payload:
            context.body = answer
            context.headers.remove(name: "Content-Length")
            if let answerType { context.headers.replaceOrAdd(name: "Content-Type", value: answerType) }
        case _ where answerIsJSON:
            // Synapse puts a JSON answer in place of the payload whatever the target.
            context.body = answer
            context.headers.replaceOrAdd(name: "Content-Type", value: answerType ?? "application/json")
        case .key(let key):
            guard let element else { throw Self.noElement() }
            context[property: key] = .xml(element)
        case .xpath(let text, let namespaces):
            guard let element else { throw Self.noElement() }
            guard let payload = try context.xmlPayload(for: "callout") else {
                throw MediationFault.mediatorFailed("callout", "the target '\(text)' needs an XML payload")
            }
            let updated: String
            do throws(MediationFault) {
                updated = try XPathEngine.enrich(
                    payload: payload,
                    target: text,
                    namespaces: namespaces,
                    content: .markup(element),
                    placement: .replace,
                    context: context
                )
            } catch {
                throw MediationFault.mediatorFailed("callout", "the target '\(text)' selects nothing in the message")
            }
            context.body = .text(updated)
            context.headers.remove(name: "Content-Length")
        }
        return .proceed
    }

    private static func noElement() -> MediationFault {
        MediationFault.mediatorFailed("callout", "the service's answer has no XML element to put at the target")
    }

    private static func refuseFault(_ payload: String, context: MessageContext) throws(MediationFault) {
        guard payload.contains("Fault") else { return }
        let reason = try XPathEngine.evaluate(
            "$body/*[local-name()='Fault']",
            namespaces: [:],
            payload: payload,
            context: context
        )
        guard case .nodes(let nodes) = reason, let fault = nodes.first else { return }
        throw MediationFault(
            code: CompiledCalloutMediator.operationFailed,
            message: "Error while performing the callout operation",
            detail: fault.text.trimmingWhitespace()
        )
    }
}
