import Logging
import SluiceModel

/// `<log>` ready to run. Writes the line Synapse's LogMediator writes, at the level its category names (TRACE→trace,
/// DEBUG→debug, INFO→info, WARN→warning, ERROR→error, FATAL→critical); parts are joined by `separator`
/// (default `, `):
///
/// - `simple`: `To: <address>`, then `From: `, `WSAction: `, `SOAPAction: `, `ReplyTo: ` when the message has them,
///   `MessageID: urn:uuid:…` and `Direction: request|response`, then the properties;
/// - `headers`: `<name> : <text>` for each SOAP header block, then the properties;
/// - `full`: `simple`'s parts (properties included), then `Envelope: ` and the message as Synapse's SOAP envelope
///   (a REST payload inside a SOAP 1.1 body, JSON as Synapse's XML);
/// - `custom`: the properties only;
///
/// each property as `name = value` (`null` when it has none). A `<message>` template comes first, its `${...}`
/// Synapse Expressions replaced by their values; `logMessageID` puts `MessageID: …` before everything. Credentials (`Authorization`,
/// `Proxy-Authorization`, `Cookie`, `Set-Cookie`, API keys) read by a property are written as `***`.
struct CompiledLogMediator: CompiledMediator {
    let level: LogMediator.Level
    let loggerLevel: Logger.Level
    let separator: String
    let properties: [(name: String, value: CompiledValue)]
    let message: InlineExpressionTemplate?
    let logsMessageID: Bool

    /// Header names whose values are never written to logs, lower case.
    static let secretHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "apikey", "x-api-key",
    ]

    init(_ node: LogMediator, location: SourceLocation?) throws(MediationCompileError) {
        level = node.level
        separator = node.separator ?? ", "
        switch node.category {
        case .trace: loggerLevel = .trace
        case .debug: loggerLevel = .debug
        case .info: loggerLevel = .info
        case .warn: loggerLevel = .warning
        case .error: loggerLevel = .error
        case .fatal: loggerLevel = .critical
        }
        var properties: [(name: String, value: CompiledValue)] = []
        for property in node.properties {
            properties.append((property.name, try CompiledValue(property.value, location: location)))
        }
        self.properties = properties
        logsMessageID = node.logsMessageID
        if let text = node.message {
            // LogMediator.setMessageTemplate: a written `\n` or `\t` stands for a newline or a tab.
            let unescaped = text.replacing("\\n", with: "\n").replacing("\\t", with: "\t")
            do {
                message = try InlineExpressionTemplate(unescaped)
            } catch {
                throw MediationCompileError(.invalidExpression(text, reason: error.description), location: location)
            }
        } else {
            message = nil
        }
    }

    /// `full` and `headers` show the envelope, so (as Synapse builds the message for them) the body must be read.
    var readsBody: Bool {
        level == .full || level == .headers || properties.contains { $0.value.readsBody }
            || message?.readsBody == true
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        guard context.logger.logLevel <= loggerLevel else { return .proceed }
        var parts: [String] = []
        if logsMessageID {
            if context.addressing.messageID == nil { context.addressing.messageID = "urn:uuid:" + RequestIDHandler.makeID() }
            parts.append("MessageID: " + (context.addressing.messageID ?? ""))
        }
        if let message {
            let text = message.render(&context)
            if !text.isEmpty { parts.append(text) }
        }
        switch level {
        case .simple, .full:
            parts += simpleParts(&context)
        case .headers:
            parts += try LogEnvelope.headerBlocks(of: &context).map { "\($0.name) : \($0.text)" }
        case .custom:
            break
        }
        for property in properties {
            let text = try property.value.string(&context) ?? "null"
            parts.append("\(property.name) = \(isSecret(property) ? "***" : text)")
        }
        if level == .full {
            parts.append("Envelope: " + (try LogEnvelope.text(of: &context)))
        }
        context.logger.log(
            level: loggerLevel,
            Logger.Message(stringLiteral: parts.joined(separator: separator)),
            metadata: ["sluice.mediator": "log"]
        )
        return .proceed
    }

    /// `To`, `From`, `WSAction`, `SOAPAction`, `ReplyTo`, `MessageID` and `Direction`, as Synapse's simple level.
    private func simpleParts(_ context: inout MessageContext) -> [String] {
        // A request's `To` is where it was sent (its path and query); a response has none unless one was set.
        let to = context.isResponse ? context.addressing.to : context.lookupProperty(scope: .default, name: "To")?.stringValue
        var parts = ["To: " + (to ?? "")]
        if let from = context.addressing.from { parts.append("From: " + from) }
        if let action = context.addressing.action { parts.append("WSAction: " + action) }
        if let soapAction = context.headers.first(name: "SOAPAction") {
            parts.append("SOAPAction: " + soapAction.filter { $0 != "\"" })
        }
        if let replyTo = context.addressing.replyTo { parts.append("ReplyTo: " + replyTo) }
        // Synapse gives every message an id; the first log of a message makes one and later ones repeat it.
        if context.addressing.messageID == nil { context.addressing.messageID = "urn:uuid:" + RequestIDHandler.makeID() }
        parts.append("MessageID: " + (context.addressing.messageID ?? ""))
        parts.append("Direction: " + (context.isResponse ? "response" : "request"))
        return parts
    }

    /// A property that names a credential, or reads a credential header, is masked.
    private func isSecret(_ property: (name: String, value: CompiledValue)) -> Bool {
        if Self.secretHeaders.contains(property.name.lowercased()) { return true }
        if case .expression(let expression) = property.value, case .property(.transport, let header) = expression.kind {
            return Self.secretHeaders.contains(header.lowercased())
        }
        return false
    }
}
