public import SluiceModel

/// `<enrich><source .../><target .../></enrich>`.
public struct EnrichMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "enrich"

    public var source: Source
    public var target: Target

    public init(source: Source, target: Target) {
        self.source = source
        self.target = target
    }

    public enum SourceType: String, Sendable, Hashable, CaseIterable {
        case custom, envelope, body, property, inline
    }

    /// `key` renames the JSON member the target's path ends with (WSO2's Synapse).
    public enum TargetType: String, Sendable, Hashable, CaseIterable {
        case custom, envelope, body, property, key
    }

    /// `remove` deletes what the source's `json-eval` selects from the body or a property (WSO2's Synapse).
    public enum TargetAction: String, Sendable, Hashable, CaseIterable {
        case replace, child, sibling, remove
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

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledEnrichMediator(self, compilation: compilation)
    }
}

extension MediatorNode {
    /// An `<enrich>` node.
    public static func enrich(_ mediator: EnrichMediator) -> MediatorNode { MediatorNode(mediator) }
}
