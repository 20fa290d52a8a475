import SluiceModel

/// `<enrich>` ready to run, for the combinations Sluice covers:
///
/// - sources: `custom` (any expression: `json-eval`, XPath, `$ctx:`...), `body`/`envelope` (the payload),
///   `property`, `inline` (JSON or XML text; `key=` registry sources are refused);
/// - targets: `body`/`envelope` (replace the payload), `property` (set a default-scope property), `custom`
///   with a `json-eval` path of names and indices over a JSON body (`replace`, or `child` to append to an
///   array or merge into an object), and `custom` with an XPath over an XML body (`replace`, `child`,
///   `sibling` at the first selected node).
///
/// `child`/`sibling` on `body`/`property` targets and `sibling` on JSON paths are refused at deploy time.
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
        case jsonPath([JSONPath.Step], child: Bool)
        case xpath(String, namespaces: [String: String], placement: XPathEngine.EnrichPlacement)
    }

    let source: Source
    let target: Target

    init(_ node: EnrichMediator, location: SourceLocation?) throws(MediationCompileError) {
        switch node.source.type {
        case .custom:
            guard let xpath = node.source.xpath else {
                throw MediationCompileError(.unsupported("enrich custom source without xpath"), location: location)
            }
            source = .expression(try CompiledExpression(xpath, location: location))
        case .envelope, .body:
            source = .body
        case .property:
            guard let name = node.source.property else {
                throw MediationCompileError(.unsupported("enrich property source without property"), location: location)
            }
            source = .property(name)
        case .inline:
            if let key = node.source.inlineKey {
                throw MediationCompileError(
                    .unsupported("enrich inline source key '\(key)' (registry resources)"),
                    location: location
                )
            }
            source = .inline(node.source.inlineContent ?? "")
        }
        switch (node.target.type, node.target.action) {
        case (.body, .replace), (.envelope, .replace):
            target = .body
        case (.property, .replace):
            guard let name = node.target.property else {
                throw MediationCompileError(.unsupported("enrich property target without property"), location: location)
            }
            target = .property(name)
        case (.custom, let action):
            guard let expression = node.target.xpath else {
                throw MediationCompileError(.unsupported("enrich custom target without xpath"), location: location)
            }
            switch expression.kind {
            case .jsonPath(let text):
                guard action != .sibling, let path = try? JSONPath(text),
                    path.steps.allSatisfy({ step in
                        switch step {
                        case .child, .index: true
                        default: false
                        }
                    })
                else {
                    throw MediationCompileError(
                        .unsupported(
                            "enrich json-eval target other than a path of names and indices with replace/child"
                        ),
                        location: location
                    )
                }
                target = .jsonPath(path.steps, child: action == .child)
            case .xpath(let text):
                if let reason = XPathEngine.syntaxError(in: text) {
                    throw MediationCompileError(.invalidExpression(text, reason: reason), location: location)
                }
                target = .xpath(text, namespaces: expression.namespaces, placement: Self.placement(action))
            case .body:
                target = .xpath("$body", namespaces: [:], placement: Self.placement(action))
            default:
                throw MediationCompileError(
                    .unsupported("enrich custom target '\(expression.source)'"),
                    location: location
                )
            }
        default:
            throw MediationCompileError(
                .unsupported("enrich target \(node.target.type.rawValue) with action \(node.target.action.rawValue)"),
                location: location
            )
        }
    }

    private static func placement(_ action: EnrichMediator.TargetAction) -> XPathEngine.EnrichPlacement {
        switch action {
        case .replace: .replace
        case .child: .child
        case .sibling: .sibling
        }
    }

    var readsBody: Bool {
        switch (source, target) {
        case (.body, _), (_, .jsonPath), (_, .xpath): true
        case (.expression(let expression), _): expression.readsBody
        default: false
        }
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        try apply(&context)
        return .proceed
    }

    private func apply(_ context: inout MessageContext) throws(MediationFault) {
        let value = try sourceValue(&context)
        switch target {
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
        case .jsonPath(let steps, let child):
            guard var root = try context.jsonBody(for: "enrich") else {
                throw MediationFault.mediatorFailed("enrich", "the target is a JSON path but the body is not JSON")
            }
            let inserted: JSONValue
            switch value {
            case .json(let json): inserted = json
            case .text(let text), .xml(let text): inserted = .string(text)
            }
            guard
                try root.update(
                    at: steps[...],
                    with: { existing throws(MediationFault) in
                        guard child else { return inserted }
                        switch (existing, inserted) {
                        case (.array(var elements), _):
                            elements.append(inserted)
                            return .array(elements)
                        case (.object(var object), .object(let members)):
                            for key in members.keys { object[key] = members[key] }
                            return .object(object)
                        default:
                            throw MediationFault.mediatorFailed(
                                "enrich",
                                "child action needs an array, or an object to merge into an object"
                            )
                        }
                    }
                )
            else {
                throw MediationFault.mediatorFailed("enrich", "the target path does not exist in the body")
            }
            context.replaceBody(with: root.description, contentType: "application/json")
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
                content = json.isContainer ? .markup(JSONXMLConverter.xml(for: json)) : .text(json.textValue)
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

extension JSONValue {
    /// True for objects and arrays.
    var isContainer: Bool {
        switch self {
        case .object, .array: true
        default: false
        }
    }

    /// Replaces the value at a path of names and indices with `transform(old)`.
    /// - Returns: False when the path does not exist.
    mutating func update(
        at steps: ArraySlice<JSONPath.Step>,
        with transform: (JSONValue) throws(MediationFault) -> JSONValue
    ) throws(MediationFault) -> Bool {
        guard let step = steps.first else {
            self = try transform(self)
            return true
        }
        switch (step, self) {
        case (.child(let name), .object(var object)):
            guard var member = object[name] else {
                // A missing last member is created, as enrich does for new JSON properties.
                guard steps.count == 1 else { return false }
                object[name] = try transform(.null)
                self = .object(object)
                return true
            }
            guard try member.update(at: steps.dropFirst(), with: transform) else { return false }
            object[name] = member
            self = .object(object)
            return true
        case (.index(let index), .array(var elements)):
            let position = index < 0 ? elements.count + index : index
            guard elements.indices.contains(position) else { return false }
            guard try elements[position].update(at: steps.dropFirst(), with: transform) else { return false }
            self = .array(elements)
            return true
        default:
            return false
        }
    }
}
