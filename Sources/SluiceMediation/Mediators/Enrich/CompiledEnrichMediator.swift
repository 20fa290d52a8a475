import SluiceModel

/// `<enrich>` ready to run, for the combinations Sluice covers:
///
/// - sources: `custom` (any expression: `json-eval`, XPath, `$ctx:`...), `body`/`envelope` (the payload),
///   `property`, `inline` (JSON or XML text, or `key=` naming a local entry);
/// - targets: `body`/`envelope` (replace the payload; `child` appends to an XML body's root element), `property`
///   (set a default-scope property; `child` appends to a JSON array or XML property), `custom` with a `json-eval`
///   path over a JSON body (`CompiledEnrichMediator+JSONTarget`), `custom` with an XPath over an XML body (`replace`, `child`, `sibling` at the first selected node),
///   `key` (renames the JSON member the target path ends with to the source's text);
/// - `action="remove"` deletes every match of the source's `json-eval` paths (comma-separated) from the JSON body
///   or a JSON property, as WSO2's Synapse does.
///
/// Other combinations are refused at deploy time.
struct CompiledEnrichMediator: CompiledMediator {
    enum Source: Sendable {
        case expression(CompiledExpression)
        case body
        case property(String)
        case inline(String)
    }

    enum Target: Sendable {
        case body
        case property(String)
        case propertyChild(String)
        /// A `json-eval` path over the JSON body (a `$ctx:` prefix is ignored there, as in Synapse's target).
        case jsonPath(JSONPath, action: EnrichMediator.TargetAction)
        case xpath(String, namespaces: [String: String], placement: XPathEngine.EnrichPlacement)
        /// Removes what the paths select (nil: the whole document) from the body, or a property when named.
        case remove(paths: [JSONPath?], property: String?)
        /// Renames member `key` of the values `parent` selects.
        case renameKey(parent: [JSONPath.Step], key: String)
    }

    let source: Source
    let target: Target

    /// The payload's root element: XPath sees every XML payload inside a SOAP envelope.
    static let payloadRoot = "/*[local-name()='Envelope']/*[local-name()='Body']/*[1]"

    init(_ node: EnrichMediator, compilation: MediatorCompilation) throws(MediationCompileError) {
        let location = compilation.location
        switch node.source.type {
        case .custom:
            guard let xpath = node.source.xpath else {
                throw compilation.error(.unsupported("enrich custom source without xpath"))
            }
            source = .expression(try CompiledExpression(xpath, location: location))
        case .envelope, .body:
            source = .body
        case .property:
            guard let name = node.source.property else {
                throw compilation.error(.unsupported("enrich property source without property"))
            }
            source = .property(name)
        case .inline:
            if let content = node.source.inlineContent {
                source = .inline(content)
            } else if let key = node.source.inlineKey {
                source = .inline(try compilation.resourceText(forKey: key, usedFor: "an inline enrich source"))
            } else {
                source = .inline("")
            }
        }
        switch (node.target.type, node.target.action) {
        case (_, .remove):
            target = try Self.removal(node, compilation)
        case (.body, .replace), (.envelope, .replace):
            target = .body
        case (.body, .child):
            target = .xpath(Self.payloadRoot, namespaces: [:], placement: .child)
        case (.property, .replace), (.property, .child):
            guard let name = node.target.property else {
                throw compilation.error(.unsupported("enrich property target without property"))
            }
            target = node.target.action == .child ? .propertyChild(name) : .property(name)
        case (.key, .replace):
            target = try Self.keyRename(node, compilation)
        case (.custom, let action):
            guard let expression = node.target.xpath else {
                throw compilation.error(.unsupported("enrich custom target without xpath"))
            }
            switch expression.kind {
            case .jsonPath(let text):
                do {
                    target = .jsonPath(try JSONPath(text), action: action)
                } catch {
                    throw compilation.error(.invalidExpression(expression.source, reason: error.reason))
                }
            case .xpath(let text):
                if let reason = XPathEngine.syntaxError(in: text) {
                    throw compilation.error(.invalidExpression(text, reason: reason))
                }
                target = .xpath(text, namespaces: expression.namespaces, placement: Self.placement(action))
            case .body:
                target = .xpath("$body", namespaces: [:], placement: Self.placement(action))
            default:
                throw compilation.error(.unsupported("enrich custom target '\(expression.source)'"))
            }
        default:
            throw compilation.error(
                .unsupported("enrich target \(node.target.type.rawValue) with action \(node.target.action.rawValue)")
            )
        }
    }

    /// `action="remove"`: the source's `json-eval` lists the paths to delete from the body or a property.
    private static func removal(
        _ node: EnrichMediator,
        _ compilation: MediatorCompilation
    ) throws(MediationCompileError) -> Target {
        guard node.source.type == .custom, case .jsonPath(let text)? = node.source.xpath?.kind else {
            throw compilation.error(.unsupported("enrich remove without a json-eval source"))
        }
        var paths: [JSONPath?] = []
        for part in text.split(separator: ",") {
            let written = String(part).trimmingWhitespace()
            let path: JSONPath
            do {
                path = try JSONPath(written.hasSuffix(".") ? String(written.dropLast()) : written)
            } catch {
                throw compilation.error(.invalidExpression(written, reason: error.reason))
            }
            // `$` (or `$.`) removes the whole document.
            paths.append(path.steps.isEmpty ? nil : path)
        }
        switch node.target.type {
        case .body: return .remove(paths: paths, property: nil)
        case .property:
            guard let name = node.target.property else {
                throw compilation.error(.unsupported("enrich property target without property"))
            }
            return .remove(paths: paths, property: name)
        default:
            throw compilation.error(.unsupported("enrich remove from a \(node.target.type.rawValue) target"))
        }
    }

    /// `type="key"`: the target path's last name is the member to rename, the path before it where.
    private static func keyRename(
        _ node: EnrichMediator,
        _ compilation: MediatorCompilation
    ) throws(MediationCompileError) -> Target {
        guard case .jsonPath(let text)? = node.target.xpath?.kind, let path = try? JSONPath(text),
            case .child(let key)? = path.steps.last
        else {
            throw compilation.error(.unsupported("enrich key target without a json-eval path ending in a member name"))
        }
        return .renameKey(parent: Array(path.steps.dropLast()), key: key)
    }

    private static func placement(_ action: EnrichMediator.TargetAction) -> XPathEngine.EnrichPlacement {
        switch action {
        case .child: .child
        case .sibling: .sibling
        // `remove` never reaches an XPath target (refused above).
        case .replace, .remove: .replace
        }
    }

    var readsBody: Bool {
        switch (source, target) {
        case (.body, _), (_, .jsonPath), (_, .xpath), (_, .renameKey), (_, .remove(_, nil)): true
        case (.expression(let expression), _): expression.readsBody
        default: false
        }
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        try apply(&context)
        return .proceed
    }

    private func apply(_ context: inout MessageContext) throws(MediationFault) {
        if case .remove(let paths, let property) = target {
            try Self.remove(paths, fromProperty: property, in: &context)
            return
        }
        let value = try sourceValue(&context)
        switch target {
        case .remove:
            break
        case .renameKey(let parent, let key):
            let newKey: String
            switch value {
            case .text(let text): newKey = text
            case .json(let json) where !json.isContainer: newKey = json.textValue
            default: throw MediationFault.mediatorFailed("enrich", "the new key name must be a string")
            }
            guard var root = try context.jsonBody(for: "enrich") else {
                throw MediationFault.mediatorFailed("enrich", "the target is a JSON key but the body is not JSON")
            }
            var renamed = 0
            try root.visit(parent[...]) { value in renamed += value.renameMember(key, to: newKey) }
            guard renamed > 0 else {
                throw MediationFault.mediatorFailed("enrich", "no member '\(key)' to rename in the body")
            }
            context.replaceBody(with: root.description, contentType: "application/json")
        case .propertyChild(let name):
            context[property: name] = try Self.appending(value, to: context[property: name], name: name, context: context)
        case .property(let name):
            switch value {
            case .json(let json): context[property: name] = json.isContainer ? .json(json) : .string(json.textValue)
            case .text(let text): context[property: name] = .string(text)
            case .xml(let markup): context[property: name] = .xml(markup)
            }
        case .body:
            switch value {
            case .json(let json): context.replaceBody(with: json.description, contentType: "application/json")
            case .xml(let markup): context.replaceBody(with: markup, contentType: "application/xml")
            case .text(let text): context.replaceBody(with: text, contentType: "text/plain")
            }
        case .jsonPath(let path, let action):
            let inserted: JSONValue
            switch value {
            case .json(let json): inserted = json
            case .text(let text), .xml(let text): inserted = .string(text)
            }
            try Self.enrich(path, action: action, inserting: inserted, in: &context)
        case .xpath(let expression, let namespaces, let placement):
            let payload = try context.bodyText(for: "enrich")
            guard payload.trimmingWhitespace().hasPrefix("<") else {
                throw MediationFault.mediatorFailed("enrich", "the target is an XPath but the body is not XML")
            }
            let content: XPathEngine.EnrichContent
            switch value {
            case .xml(let markup): content = .markup(markup)
            case .text(let text): content = .text(text)
            case .json(let json):
                content = json.isContainer ? .markup(context.xml(for: json)) : .text(json.textValue)
            }
            let enriched = try XPathEngine.enrich(
                payload: payload,
                target: expression,
                namespaces: namespaces,
                content: content,
                placement: placement,
                context: context
            )
            context.replaceBody(
                with: enriched,
                contentType: context.headers.first(name: "Content-Type") ?? "application/xml"
            )
        }
    }

    /// Deletes every match of `paths` from the JSON body or a JSON property; a path that names one place that is
    /// not there is an error (Synapse's PathNotFoundException), a wildcard that matches nothing is not.
    private static func remove(
        _ paths: [JSONPath?],
        fromProperty property: String?,
        in context: inout MessageContext
    ) throws(MediationFault) {
        var document: JSONValue?
        if let property {
            switch context[property: property] {
            case .json(let json)?: document = json
            case let other?:
                guard let json = try? JSONParser.parse(other.stringValue) else {
                    throw MediationFault.mediatorFailed("enrich", "property '\(property)' does not hold JSON to remove from")
                }
                document = json
            case nil:
                throw MediationFault.mediatorFailed("enrich", "property '\(property)' is not set")
            }
        } else {
            guard let json = try context.jsonBody(for: "enrich") else {
                throw MediationFault.mediatorFailed("enrich", "remove needs a JSON body")
            }
            document = json
        }
        for path in paths {
            guard let path, var root = document else {
                document = nil
                continue
            }
            let removed = try Self.removeMatches(of: path, from: &root)
            if removed == 0 && path.isDefinite {
                throw MediationFault.mediatorFailed("enrich", "nothing at '\(path.source)' to remove")
            }
            document = root
        }
        if let property {
            context[property: property] = document.map { .json($0) } ?? .string("")
        } else if let document {
            context.replaceBody(with: document.description, contentType: "application/json")
        } else {
            context.replaceBody(with: "", contentType: "application/json")
        }
    }

    private static func removeMatches(of path: JSONPath, from root: inout JSONValue) throws(MediationFault) -> Int {
        guard let last = path.steps.last else { return 0 }
        var parent = path.steps.dropLast()
        var removed = 0
        let document = root
        switch last {
        case .descendant(let name):
            // `..name`: the member wherever it is, under the parent and at any depth below it.
            try root.visit(parent) { value in removed += value.removeChildren(selectedBy: .child(name), root: document) }
            parent.append(.descendantWildcard)
            try root.visit(parent) { value in removed += value.removeChildren(selectedBy: .child(name), root: document) }
        case .descendantWildcard:
            try root.visit(parent) { value in removed += value.removeChildren(selectedBy: .wildcard, root: document) }
        default:
            try root.visit(parent) { value in removed += value.removeChildren(selectedBy: last, root: document) }
        }
        return removed
    }

    /// `action="child"` on a property: a JSON array gets the value as its last element, XML gets it inside its
    /// root element.
    private static func appending(
        _ value: Value,
        to property: PropertyValue?,
        name: String,
        context: MessageContext
    ) throws(MediationFault) -> PropertyValue {
        switch property {
        case .json(.array(var elements))?:
            switch value {
            case .json(let json): elements.append(json)
            case .text(let text), .xml(let text): elements.append(.string(text))
            }
            return .json(.array(elements))
        case .xml(let markup)?:
            let content: XPathEngine.EnrichContent
            switch value {
            case .xml(let child): content = .markup(child)
            case .text(let text): content = .text(text)
            case .json(let json):
                content = json.isContainer ? .markup(context.xml(for: json)) : .text(json.textValue)
            }
            return .xml(
                try XPathEngine.enrich(
                    payload: markup,
                    target: payloadRoot,
                    namespaces: [:],
                    content: content,
                    placement: .child,
                    context: context
                )
            )
        case let other?:
            throw MediationFault.mediatorFailed(
                "enrich", "property '\(name)' holds \(other.stringValue.prefix(40)), not a JSON array or XML to add to"
            )
        case nil:
            throw MediationFault.mediatorFailed("enrich", "property '\(name)' is not set")
        }
    }

    private enum Value {
        case json(JSONValue)
        case xml(String)
        case text(String)
    }

    private func sourceValue(_ context: inout MessageContext) throws(MediationFault) -> Value {
        switch source {
        case .expression(let expression):
            switch try expression.evaluate(&context) {
            case .none: return .text("")
            case .json(let json): return .json(json)
            case .xpath(let result):
                if case .nodes(let nodes) = result, nodes.contains(where: { $0.markup.hasPrefix("<") }) {
                    return .xml(result.markup)
                }
                return .text(result.stringValue)
            case .property(let property): return propertyValue(property)
            }
        case .body:
            if let json = try context.jsonBody(for: "enrich") { return .json(json) }
            let text = try context.bodyText(for: "enrich")
            return text.trimmingWhitespace().hasPrefix("<") ? .xml(text) : .text(text)
        case .property(let name):
            return context[property: name].map(propertyValue) ?? .text("")
        case .inline(let content):
            let trimmed = content.trimmingWhitespace()
            if trimmed.hasPrefix("<") { return .xml(trimmed) }
            // Inline JSON (objects, arrays, quoted strings, numbers) is inserted as JSON; anything else is text.
            if let json = try? JSONParser.parse(trimmed) { return .json(json) }
            return .text(content)
        }
    }

    private func propertyValue(_ property: PropertyValue) -> Value {
        switch property {
        case .json(let json): .json(json)
        case .xml(let markup): .xml(markup)
        default: .text(property.stringValue)
        }
    }
}
