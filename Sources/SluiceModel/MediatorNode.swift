/// One mediator of a sequence, as written in the artifact (the mediation AST).
///
/// The mediation runtime compiles these into executable mediators at deploy time; nothing here runs.
public indirect enum MediatorNode: Sendable, Hashable {
    /// `<send>`: forward to an endpoint (or, without one, reply to the client from the out flow).
    case send(SendMediator)
    /// `<call>`: invoke an endpoint and continue the same sequence with its response.
    case call(CallMediator)
    /// `<loopback/>`: leave the in flow and go to the out flow with the current message.
    case loopback
    /// `<respond/>`: send the current message back to the client.
    case respond
    /// `<drop/>`: stop mediation; answers the client with an empty 202 when nothing was sent.
    case drop
    case property(PropertyMediator)
    case header(HeaderMediator)
    case log(LogMediator)
    case filter(FilterMediator)
    case payloadFactory(PayloadFactoryMediator)
    /// `<sequence key="name"/>`: run a named sequence.
    case sequence(key: String)
    case enrich(EnrichMediator)
    /// `<class name="..."/>`: a mediator implemented in code, looked up by class name.
    case classMediator(ClassMediator)

    /// The XML element name of this mediator.
    public var elementName: String {
        switch self {
        case .send: "send"
        case .call: "call"
        case .loopback: "loopback"
        case .respond: "respond"
        case .drop: "drop"
        case .property: "property"
        case .header: "header"
        case .log: "log"
        case .filter: "filter"
        case .payloadFactory: "payloadFactory"
        case .sequence: "sequence"
        case .enrich: "enrich"
        case .classMediator: "class"
        }
    }
}

/// A literal value or an expression evaluated at run time (`value=` versus `expression=`).
public enum ValueSource: Sendable, Hashable {
    case literal(String)
    case expression(SynapseExpression)
}

/// `<send [receive=] [buildmessage=]>[<endpoint .../>]</send>`.
public struct SendMediator: Sendable, Hashable {
    /// Inline endpoint or `<endpoint key="..."/>`; nil sends to the implicit target (the client in the out flow,
    /// `To` header otherwise).
    public var endpoint: EndpointDefinition?
    /// `receive="seq"`: the sequence that handles the response instead of the out sequence.
    public var receive: String?
    public var buildMessage: Bool

    public init(endpoint: EndpointDefinition? = nil, receive: String? = nil, buildMessage: Bool = false) {
        self.endpoint = endpoint
        self.receive = receive
        self.buildMessage = buildMessage
    }
}

/// `<call [blocking=]><endpoint .../></call>`.
public struct CallMediator: Sendable, Hashable {
    public var endpoint: EndpointDefinition?
    public var blocking: Bool

    public init(endpoint: EndpointDefinition? = nil, blocking: Bool = false) {
        self.endpoint = endpoint
        self.blocking = blocking
    }
}

/// `<property name= (value=|expression=) [scope=] [action=] [type=] [pattern= [group=]]/>`.
public struct PropertyMediator: Sendable, Hashable {
    public var name: String
    /// Nil only with `action == .remove`.
    public var value: ValueSource?
    public var scope: PropertyScope
    public var action: Action
    public var type: PropertyType?
    /// `pattern` + `group`: a regex applied to the evaluated value.
    public var pattern: String?
    public var group: Int?

    public init(
        name: String,
        value: ValueSource?,
        scope: PropertyScope = .default,
        action: Action = .set,
        type: PropertyType? = nil,
        pattern: String? = nil,
        group: Int? = nil
    ) {
        self.name = name
        self.value = value
        self.scope = scope
        self.action = action
        self.type = type
        self.pattern = pattern
        self.group = group
    }

    public enum Action: String, Sendable, Hashable, CaseIterable {
        case set
        case remove
    }

    /// `type=`: how the value is converted before it is stored.
    public enum PropertyType: String, Sendable, Hashable, CaseIterable {
        case string = "STRING"
        case integer = "INTEGER"
        case boolean = "BOOLEAN"
        case double = "DOUBLE"
        case float = "FLOAT"
        case long = "LONG"
        case short = "SHORT"
        case om = "OM"
        case json = "JSON"
    }
}

/// `<header name= (value=|expression=) [action=set|remove] [scope=default|transport]/>`.
public struct HeaderMediator: Sendable, Hashable {
    public var name: String
    public var value: ValueSource?
    public var action: PropertyMediator.Action
    /// `transport` edits HTTP headers; `default` edits SOAP headers.
    public var scope: Scope

    public init(
        name: String,
        value: ValueSource?,
        action: PropertyMediator.Action = .set,
        scope: Scope = .default
    ) {
        self.name = name
        self.value = value
        self.action = action
        self.scope = scope
    }

    public enum Scope: String, Sendable, Hashable, CaseIterable {
        case `default`
        case transport
    }
}

/// `<log [level=] [category=] [separator=] [description=]><property name= value|expression/>*</log>`.
public struct LogMediator: Sendable, Hashable {
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
}

/// A `<property name= value|expression/>` child, as `log` and `class` mediators use them.
public struct NamedValue: Sendable, Hashable {
    public var name: String
    public var value: ValueSource

    public init(name: String, value: ValueSource) {
        self.name = name
        self.value = value
    }
}

/// `<filter source= regex=>` or `<filter xpath=>`, with `<then>`/`<else>` (or direct children as `then`).
public struct FilterMediator: Sendable, Hashable {
    public var condition: Condition
    public var then: [MediatorNode]
    public var otherwise: [MediatorNode]

    public init(condition: Condition, then: [MediatorNode], otherwise: [MediatorNode] = []) {
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
    }

    public enum Condition: Sendable, Hashable {
        /// The source's string value must match the regex entirely (Java `Matcher.matches`).
        case sourceMatches(source: SynapseExpression, regex: String)
        /// The XPath's boolean value.
        case xpath(SynapseExpression)
    }
}

/// `<payloadFactory media-type=json|xml [template-type=]><format>...</format><args><arg .../></args>`.
public struct PayloadFactoryMediator: Sendable, Hashable {
    public var mediaType: MediaType
    /// The inline template with `$1..$n` placeholders: for XML, the serialized child element; for JSON, the text.
    public var format: String
    /// `<format key="..."/>`: the template comes from a named resource instead.
    public var formatKey: String?
    public var arguments: [Argument]

    public init(mediaType: MediaType, format: String, formatKey: String? = nil, arguments: [Argument] = []) {
        self.mediaType = mediaType
        self.format = format
        self.formatKey = formatKey
        self.arguments = arguments
    }

    public enum MediaType: String, Sendable, Hashable, CaseIterable {
        case xml
        case json
    }

    /// `<arg value=|expression= [evaluator=xml|json] [literal=true]/>`.
    public struct Argument: Sendable, Hashable {
        public var value: ValueSource
        public var evaluator: MediaType?
        /// `literal="true"`: never parse the value as JSON/XML when substituting.
        public var literal: Bool

        public init(value: ValueSource, evaluator: MediaType? = nil, literal: Bool = false) {
            self.value = value
            self.evaluator = evaluator
            self.literal = literal
        }
    }
}

/// `<enrich><source .../><target .../></enrich>`.
public struct EnrichMediator: Sendable, Hashable {
    public var source: Source
    public var target: Target

    public init(source: Source, target: Target) {
        self.source = source
        self.target = target
    }

    public enum SourceType: String, Sendable, Hashable, CaseIterable {
        case custom, envelope, body, property, inline
    }

    public enum TargetType: String, Sendable, Hashable, CaseIterable {
        case custom, envelope, body, property
    }

    public enum TargetAction: String, Sendable, Hashable, CaseIterable {
        case replace, child, sibling
    }

    /// `<source [type=] [clone=] [xpath=] [property=]>inline content</source>`.
    public struct Source: Sendable, Hashable {
        public var type: SourceType
        public var clone: Bool
        public var xpath: SynapseExpression?
        public var property: String?
        /// For `type="inline"`: the serialized inline XML or text.
        public var inlineContent: String?
        /// For `type="inline"`: `key=` of a registry resource holding the content.
        public var inlineKey: String?

        public init(
            type: SourceType = .custom,
            clone: Bool = true,
            xpath: SynapseExpression? = nil,
            property: String? = nil,
            inlineContent: String? = nil,
            inlineKey: String? = nil
        ) {
            self.type = type
            self.clone = clone
            self.xpath = xpath
            self.property = property
            self.inlineContent = inlineContent
            self.inlineKey = inlineKey
        }
    }

    /// `<target [type=] [action=] [xpath=] [property=]/>`.
    public struct Target: Sendable, Hashable {
        public var type: TargetType
        public var action: TargetAction
        public var xpath: SynapseExpression?
        public var property: String?

        public init(
            type: TargetType = .custom,
            action: TargetAction = .replace,
            xpath: SynapseExpression? = nil,
            property: String? = nil
        ) {
            self.type = type
            self.action = action
            self.xpath = xpath
            self.property = property
        }
    }
}

/// `<class name="..."><property name= value=/>*</class>`.
public struct ClassMediator: Sendable, Hashable {
    public var className: String
    public var properties: [NamedValue]

    public init(className: String, properties: [NamedValue] = []) {
        self.className = className
        self.properties = properties
    }
}
