public import SluiceModel
internal import SluiceXML

/// `<log [level=] [category=] [separator=] [description=]><property name= value|expression/>*</log>`.
public struct LogMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "log"

    public var level: Level
    public var category: Category
    public var separator: String?
    public var description: String?
    public var properties: [NamedValue]

    public init(
        level: Level = .simple,
        category: Category = .info,
        separator: String? = nil,
        description: String? = nil,
        properties: [NamedValue] = []
    ) {
        self.level = level
        self.category = category
        self.separator = separator
        self.description = description
        self.properties = properties
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
        let level = reader.enumeration("level", of: element, as: Level.self)
        let category = reader.enumeration("category", of: element, as: Category.self, caseInsensitive: true)
        let properties = reader.readNamedValues(of: element)
        return LogMediator(
            level: level ?? .simple,
            category: category ?? .info,
            separator: element.attribute("separator"),
            description: element.attribute("description"),
            properties: properties
        )
    }

    /// Omits `level="simple"` and `category="INFO"`.
    func write(to writer: XMLWriter) {
        writer.element(
            "log",
            [
                "level": level == .simple ? nil : level.rawValue,
                "category": category == .info ? nil : category.rawValue,
                "separator": separator,
                "description": description,
            ]
        ) {
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
