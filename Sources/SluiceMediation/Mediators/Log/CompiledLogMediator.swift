import Logging
import SluiceModel

/// `<log>` ready to run. Writes one record with a static message and the details as metadata
/// (`sluice.mediator`, `sluice.log.<property>`, `sluice.log.header.<name>`, `sluice.log.body`).
///
/// Levels: `simple` adds the method, `To` and direction; `headers` adds the transport headers; `full` adds
/// the body too (only when it was read); `custom` logs the properties only. The category maps to the logger
/// level (TRACE→trace, DEBUG→debug, INFO→info, WARN→warning, ERROR→error, FATAL→critical). Credentials
/// (`Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, API keys) are never logged.
struct CompiledLogMediator: CompiledMediator {
    let level: LogMediator.Level
    let loggerLevel: Logger.Level
    let description: String?
    let properties: [(name: String, value: CompiledValue)]

    /// Header names whose values are never written to logs, lower case.
    static let secretHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "apikey", "x-api-key",
    ]

    init(_ node: LogMediator, location: SourceLocation?) throws(MediationCompileError) {
        level = node.level
        description = node.description
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
    }

    /// `full` logs the payload, so (as Synapse builds the message for it) the body must be read.
    var readsBody: Bool {
        level == .full || properties.contains { $0.value.readsBody }
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        guard context.logger.logLevel <= loggerLevel else { return .proceed }
        var metadata: Logger.Metadata = ["sluice.mediator": "log"]
        if let description { metadata["sluice.log.description"] = .string(description) }
        if level != .custom {
            metadata["sluice.log.to"] = .string(context.requestPath + (context.query.map { "?" + $0 } ?? ""))
            metadata["sluice.log.method"] = .string(context.method)
            metadata["sluice.log.direction"] = .string(context.isResponse ? "response" : "request")
        }
        if level == .headers || level == .full {
            for header in context.headers {
                let isSecret = Self.secretHeaders.contains(header.name.lowercased())
                metadata["sluice.log.header.\(header.name)"] = .string(isSecret ? "***" : header.value)
            }
        }
        if level == .full, let body = context.body.text {
            metadata["sluice.log.body"] = .string(body)
        }
        for property in properties {
            let text = try property.value.string(&context) ?? "null"
            metadata["sluice.log.\(property.name)"] = .string(isSecret(property) ? "***" : text)
        }
        context.logger.log(level: loggerLevel, "mediation log", metadata: metadata)
        return .proceed
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
