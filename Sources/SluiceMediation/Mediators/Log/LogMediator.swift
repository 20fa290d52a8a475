public import SluiceModel
internal import SluiceXML

/// `<log [level=] [category=] [separator=] [description=] [logMessageID=] [logFullPayload=]>[<message>]<property
/// name= value|expression/>*</log>`. `<message>` is WSO2 Micro Integrator 4.4's template with `${...}` Synapse
/// Expressions; without a `level` it logs like `custom` (Synapse's MESSAGE_TEMPLATE level does).
public struct LogMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "log"

    public var level: Level
    public var category: Category
    public var separator: String?
    public var description: String?
    public var properties: [NamedValue]
    /// The `<message>` template, as written (`\n` and `\t` are turned into a newline and a tab when compiled).
    public var message: String?
    /// `logMessageID="true"`: the line starts with the message's id.
    public var logsMessageID: Bool

    public init(
        level: Level = .simple,
        category: Category = .info,
        separator: String? = nil,
        description: String? = nil,
        properties: [NamedValue] = [],
        message: String? = nil,
        logsMessageID: Bool = false
    ) {
        self.level = level
        self.category = category
        self.separator = separator
        self.description = description
        self.properties = properties
        self.message = message
        self.logsMessageID = logsMessageID
    }

    public enum Level: String, Sendable, Hashable, CaseIterable {
        case simple, headers, full, custom
    }

    public enum Category: String, Sendable, Hashable, CaseIterable {
        case trace = "TRACE"
        case debug = "DEBUG"
        case info = "INFO"
        case warn = "WARN"
        case error = "ERROR"
        case fatal = "FATAL"
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> LogMediator? {
        var level = reader.enumeration("level", of: element, as: Level.self)
        let category = reader.enumeration("category", of: element, as: Category.self, caseInsensitive: true)
        let properties = reader.readNamedValues(of: element, skipping: ["message"])
        let messageElement = element.childElements.first { reader.isSynapse($0, named: "message") }
        let message = messageElement.map(\.textContent)
        if let messageElement, let message {
            reader.rejectChildren(of: messageElement)
            do {
                _ = try InlineExpressionTemplate(message)
            } catch {
                reader.report("\(error.description) in <message> of <log>", at: messageElement)
                return nil
            }
        }
        // LogMediatorFactory: logFullPayload="true" wins over level; a template without a level logs it alone.
        if reader.flag("logFullPayload", of: element, default: false) {
            level = .full
        } else if level == nil, message != nil {
            level = .custom
        }
        return LogMediator(
            level: level ?? .simple,
            category: category ?? .info,
            separator: element.attribute("separator"),
            description: element.attribute("description"),
            properties: properties,
            message: message,
            logsMessageID: reader.flag("logMessageID", of: element, default: false)
        )
    }

    /// Omits `level="simple"` and `category="INFO"`.
    func write(to writer: XMLWriter) {
        writer.element(
            "log",
            [
                // With a template, no level means custom: write simple out so it reads back as simple.
                "level": level == .simple && message == nil ? nil : level.rawValue,
                "category": category == .info ? nil : category.rawValue,
                "separator": separator,
                "description": description,
                "logMessageID": logsMessageID ? "true" : nil,
            ]
        ) {
            if let message { writer.textElement("message", message) }
            writer.namedValues(properties)
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledLogMediator(self, location: compilation.location)
    }
}

extension MediatorNode {
    /// A `<log>` node.
    public static func log(_ mediator: LogMediator) -> MediatorNode { MediatorNode(mediator) }
}
