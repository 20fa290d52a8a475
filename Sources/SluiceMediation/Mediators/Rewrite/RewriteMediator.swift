public import SluiceModel
internal import SluiceXML

/// `<rewrite [inProperty=] [outProperty=]> <rewriterule> <condition>…</condition>? <action …/>+ </rewriterule>*
/// </rewrite>`: Synapse's URL rewrite mediator. It takes a URL (the `inProperty` property, else the message's `To`
/// address), applies each rule whose condition holds (Synapse's evaluator language, as in `conditionalRouter`,
/// over the URL being rewritten), and puts the result in the `outProperty` property, else in `To` (where a
/// `<send/>` without an endpoint sends the message).
public struct RewriteMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "rewrite"

    public var inProperty: String?
    public var outProperty: String?
    public var rules: [Rule]

    public init(inProperty: String? = nil, outProperty: String? = nil, rules: [Rule]) {
        self.inProperty = inProperty
        self.outProperty = outProperty
        self.rules = rules
    }

    /// One `<rewriterule>`: its actions run in order when the condition holds (or there is none).
    public struct Rule: Sendable, Hashable {
        public var condition: RouteCondition?
        public var actions: [Action]

        public init(condition: RouteCondition? = nil, actions: [Action]) {
            self.condition = condition
            self.actions = actions
        }
    }

    /// One `<action [type=] [fragment=] (value= | xpath=) [regex=] [resolve=]/>`.
    public struct Action: Sendable, Hashable {
        public var type: ActionType
        public var fragment: Fragment
        /// `value=` (literal) or `xpath=` (an expression); nil only for `remove`.
        public var value: ValueSource?
        /// `regex=` of a `replace`.
        public var regex: String?
        /// `resolve="true"`: `{name}` in the result is replaced by the property `name`.
        public var resolve: Bool

        public init(
            type: ActionType = .set,
            fragment: Fragment = .full,
            value: ValueSource?,
            regex: String? = nil,
            resolve: Bool = false
        ) {
            self.type = type
            self.fragment = fragment
            self.value = value
            self.regex = regex
            self.resolve = resolve
        }
    }

    public enum ActionType: String, Sendable, Hashable, CaseIterable {
        case set, append, prepend, replace, remove
        case removeQueryParameter = "remove-query-param"
    }

    /// The part of the URL an action changes (Java `URI`'s parts).
    public enum Fragment: String, Sendable, Hashable, CaseIterable {
        case `protocol`, user, host, port, path, query, ref, full
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> RewriteMediator? {
        reader.ignoreText(in: element)
        var rules: [Rule] = []
        var ok = true
        for child in element.childElements {
            guard reader.isSynapse(child, named: "rewriterule") else {
                reader.reportUnknown(child, in: element)
                ok = false
                continue
            }
            if let rule = readRule(child, reader: reader) { rules.append(rule) } else { ok = false }
        }
        guard ok else { return nil }
        return RewriteMediator(inProperty: element.attribute("inProperty"), outProperty: element.attribute("outProperty"), rules: rules)
    }

    private static func readRule(_ element: XMLElementNode, reader: ArtifactReader) -> Rule? {
        reader.ignoreText(in: element)
        var condition: RouteCondition?
        var actions: [Action] = []
        var ok = true
        for child in element.childElements {
            if reader.isSynapse(child, named: "condition"), condition == nil {
                condition = RouteCondition.readCondition(child, reader: reader)
                if condition == nil { ok = false }
            } else if reader.isSynapse(child, named: "action") {
                if let action = readAction(child, reader: reader) { actions.append(action) } else { ok = false }
            } else {
                reader.reportUnknown(child, in: element)
                ok = false
            }
        }
        if actions.isEmpty && ok {
            reader.report("<rewriterule> needs at least one <action>", at: element)
            ok = false
        }
        return ok ? Rule(condition: condition, actions: actions) : nil
    }

    private static func readAction(_ element: XMLElementNode, reader: ArtifactReader) -> Action? {
        reader.ignoreText(in: element)
        reader.rejectChildren(of: element)
        let type = element.attribute("type") == nil ? .set : reader.enumeration("type", of: element, as: ActionType.self)
        let fragment = element.attribute("fragment") == nil
            ? .full : reader.enumeration("fragment", of: element, as: Fragment.self)
        guard let type, let fragment else { return nil }
        var value: ValueSource?
        if let xpath = element.attribute("xpath") {
            guard let expression = reader.expression(xpath, attribute: "xpath", of: element) else { return nil }
            value = .expression(expression)
        } else if let literal = element.attribute("value") {
            value = .literal(literal)
        } else if type != .remove {
            reader.report("<action> of <rewrite> needs a 'value' or an 'xpath' attribute", at: element)
            return nil
        }
        let regex = element.attribute("regex")
        if type == .replace, regex == nil {
            reader.report("<action type=\"replace\"> needs a 'regex' attribute", at: element)
            return nil
        }
        if type == .removeQueryParameter, fragment != .query {
            reader.report("<action type=\"remove-query-param\"> works on fragment=\"query\" only", at: element)
            return nil
        }
        let resolve = reader.flag("resolve", of: element, default: false)
        return Action(type: type, fragment: fragment, value: value, regex: regex, resolve: resolve)
    }

    /// Omits the defaults (`type="set"`, `fragment="full"`, `resolve="false"`).
    func write(to writer: XMLWriter) {
        writer.element("rewrite", ["inProperty": inProperty, "outProperty": outProperty]) {
            for rule in rules {
                writer.element("rewriterule") {
                    if let condition = rule.condition { writer.element("condition") { condition.write(to: writer) } }
                    for action in rule.actions { Self.write(action, to: writer) }
                }
            }
        }
    }

    private static func write(_ action: Action, to writer: XMLWriter) {
        var literal: String?
        var xpath: String?
        var namespaces: [String: String] = [:]
        switch action.value {
        case .literal(let text)?: literal = text
        case .expression(let expression)?:
            xpath = expression.source
            namespaces = expression.namespaces
        case nil: break
        }
        writer.element(
            "action",
            [
                "type": action.type == .set ? nil : action.type.rawValue,
                "fragment": action.fragment == .full ? nil : action.fragment.rawValue,
                "value": literal, "xpath": xpath, "regex": action.regex,
                "resolve": action.resolve ? "true" : nil,
            ],
            namespaces: namespaces
        )
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledRewriteMediator(self, compilation: compilation)
    }
}

extension MediatorNode {
    /// A `<rewrite>` node.
    public static func rewrite(_ mediator: RewriteMediator) -> MediatorNode { MediatorNode(mediator) }
}
