/// In-place edits of a JSON document at a JSONPath, for enrich's JSON targets (replace or append at a path,
/// `action="remove"`, `type="key"`).
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

    /// Calls `edit` on every value the path selects (names, indices, wildcards, unions, descendants, filters).
    /// - Parameter root: The document `$` stands for in filters; this value when nil.
    /// - Returns: How many values were visited.
    @discardableResult
    mutating func visit(
        _ steps: ArraySlice<JSONPath.Step>,
        root: JSONValue? = nil,
        _ edit: (inout JSONValue) throws(MediationFault) -> Void
    ) throws(MediationFault) -> Int {
        let root = root ?? self
        guard let step = steps.first else {
            try edit(&self)
            return 1
        }
        let rest = steps.dropFirst()
        switch step {
        case .descendant, .descendantWildcard:
            // `..name` is `.name` here and in every nested value.
            let here: JSONPath.Step = if case .descendant(let name) = step { .child(name) } else { .wildcard }
            var count = try visitChildren(selectedBy: here, root: root) { child throws(MediationFault) in
                try child.visit(rest, root: root, edit)
            }
            count += try visitChildren(selectedBy: .wildcard, root: root) { child throws(MediationFault) in
                try child.visit(steps, root: root, edit)
            }
            return count
        default:
            return try visitChildren(selectedBy: step, root: root) { child throws(MediationFault) in
                try child.visit(rest, root: root, edit)
            }
        }
    }

    private mutating func visitChildren(
        selectedBy step: JSONPath.Step,
        root: JSONValue,
        _ body: (inout JSONValue) throws(MediationFault) -> Int
    ) throws(MediationFault) -> Int {
        var count = 0
        switch (step, self) {
        case (.child(let name), .object(var object)):
            guard var member = object[name] else { return 0 }
            count = try body(&member)
            object[name] = member
            self = .object(object)
        case (.index(let index), .array(var elements)):
            let position = index < 0 ? elements.count + index : index
            guard elements.indices.contains(position) else { return 0 }
            count = try body(&elements[position])
            self = .array(elements)
        case (.wildcard, .object(var object)):
            for key in object.keys {
                guard var member = object[key] else { continue }
                count += try body(&member)
                object[key] = member
            }
            self = .object(object)
        case (.wildcard, .array(var elements)):
            for position in elements.indices { count += try body(&elements[position]) }
            self = .array(elements)
        case (.union(let steps), _):
            for member in steps { count += try visitChildren(selectedBy: member, root: root, body) }
        case (.filter(let condition), .array(var elements)):
            for position in elements.indices where condition.holds(for: elements[position], root: root) {
                count += try body(&elements[position])
            }
            self = .array(elements)
        case (.filter(let condition), .object):
            if condition.holds(for: self, root: root) { count = try body(&self) }
        default:
            break
        }
        return count
    }

    /// Removes the members or elements `step` selects from this object or array.
    /// - Parameter root: The document `$` stands for in filters.
    /// - Returns: How many were removed.
    mutating func removeChildren(selectedBy step: JSONPath.Step, root: JSONValue) -> Int {
        switch (step, self) {
        case (.child(let name), .object(var object)):
            guard object[name] != nil else { return 0 }
            object[name] = nil
            self = .object(object)
            return 1
        case (.index(let index), .array(var elements)):
            let position = index < 0 ? elements.count + index : index
            guard elements.indices.contains(position) else { return 0 }
            elements.remove(at: position)
            self = .array(elements)
            return 1
        case (.wildcard, .object(let object)):
            self = .object(JSONObject())
            return object.count
        case (.wildcard, .array(let elements)):
            self = .array([])
            return elements.count
        case (.union(let steps), .array(var elements)):
            // Indices go highest first so earlier removals do not shift later ones.
            let positions = Set(
                steps.compactMap { step -> Int? in
                    guard case .index(let index) = step else { return nil }
                    return index < 0 ? elements.count + index : index
                }
            ).filter { elements.indices.contains($0) }.sorted(by: >)
            for position in positions { elements.remove(at: position) }
            self = .array(elements)
            return positions.count
        case (.union(let steps), _):
            return steps.reduce(0) { count, step in count + removeChildren(selectedBy: step, root: root) }
        case (.filter(let condition), .array(var elements)):
            let before = elements.count
            elements.removeAll { condition.holds(for: $0, root: root) }
            self = .array(elements)
            return before - elements.count
        default:
            return 0
        }
    }

    /// Renames the member `key` of this object, or of every object in this array; the renamed member goes last,
    /// as Synapse's JSONPath `renameKey` puts it.
    /// - Returns: How many members were renamed.
    mutating func renameMember(_ key: String, to newKey: String) -> Int {
        switch self {
        case .object(var object):
            guard let value = object[key] else { return 0 }
            object[key] = nil
            object[newKey] = value
            self = .object(object)
            return 1
        case .array(var elements):
            var count = 0
            for position in elements.indices { count += elements[position].renameMember(key, to: newKey) }
            self = .array(elements)
            return count
        default:
            return 0
        }
    }
}
