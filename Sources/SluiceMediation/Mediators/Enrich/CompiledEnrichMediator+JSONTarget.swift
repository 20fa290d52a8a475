import SluiceModel

/// A custom `json-eval` target over the JSON body, as WSO2 Synapse's `Target.setEnrichResultToBody` does it with
/// Jayway JSONPath: `replace` sets every match (`DocumentContext.set`), `child` appends to the array or merges into
/// the object a definite path selects, and `sibling` is not supported by Synapse for JSON (it logs an error and
/// leaves the body as it is).
extension CompiledEnrichMediator {
    static func enrich(
        _ path: JSONPath,
        action: EnrichMediator.TargetAction,
        inserting inserted: JSONValue,
        in context: inout MessageContext
    ) throws(MediationFault) {
        if action == .sibling {
            context.logger.error("Action sibling is not supported. Please use child action instead")
            return
        }
        guard var root = try context.jsonBody(for: "enrich") else {
            throw MediationFault.mediatorFailed("enrich", "the target is a JSON path but the body is not JSON")
        }
        let changed: Bool
        switch (action, path.isDefinite) {
        case (.child, true):
            changed = try root.update(at: path.steps[...]) { existing throws(MediationFault) in
                try appendingChild(inserted, to: existing)
            }
        case (.child, false):
            // Jayway reads an indefinite path as the array of its matches: Synapse appends the source to that
            // array and sets every match to the result.
            let matches = path.select(in: root)
            guard !matches.isEmpty else {
                throw MediationFault.mediatorFailed("enrich", "the target path '\(path.source)' matches nothing in the body")
            }
            let replacement = JSONValue.array(matches + [inserted])
            changed = try root.visit(path.steps[...]) { value in value = replacement } > 0
        case (_, true):
            changed = try root.update(at: path.steps[...]) { _ throws(MediationFault) in inserted }
        case (_, false):
            changed = try root.visit(path.steps[...]) { value in value = inserted } > 0
        }
        guard changed else {
            throw MediationFault.mediatorFailed("enrich", "the target path '\(path.source)' does not exist in the body")
        }
        context.replaceBody(with: root.description, contentType: "application/json")
    }

    /// `action="child"` at one place: an array gets the value as its last element, an object gets an object's
    /// members merged in (Synapse's `EIPUtils.mergeJsonObjects`).
    private static func appendingChild(_ inserted: JSONValue, to existing: JSONValue) throws(MediationFault) -> JSONValue {
        switch (existing, inserted) {
        case (.array(var elements), _):
            elements.append(inserted)
            return .array(elements)
        case (.object(var object), .object(let members)):
            for key in members.keys { object[key] = members[key] }
            return .object(object)
        default:
            throw MediationFault.mediatorFailed("enrich", "child action needs an array, or an object to merge into an object")
        }
    }
}
