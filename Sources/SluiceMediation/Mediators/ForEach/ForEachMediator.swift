public import SluiceModel
internal import SluiceXML

/// `<foreach expression="xpath|json-eval(...)" [sequence="key"] [id=] [continueLoopOnFailure=]>[<sequence>...]`:
/// runs a sequence over each fragment the expression selects, in order, and puts each result back in place.
///
/// The sequence may not send, call or callout (Synapse refuses those), nor answer the client: it only rewrites.
public struct ForEachMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "foreach"

    /// Selects the fragments: an XPath node set, or a `json-eval` path to a JSON array.
    public var expression: SynapseExpression
    /// The inline `<sequence>` or the `sequence="key"` attribute.
    public var sequence: SequenceSlot
    /// Prefixes the `FOREACH_COUNTER` and `FOREACH_ORIGINAL_MESSAGE` properties (`id_FOREACH_COUNTER`).
    public var id: String?
    /// WSO2's `continueLoopOnFailure`: a fragment whose sequence fails is left as it was and the loop goes on.
    public var continueLoopOnFailure: Bool
    /// Set for WSO2 MI 4.4's `collection=` form: `expression` is the collection and `sequence` runs per element.
    public var collection: ForEachCollection?

    public init(
        expression: SynapseExpression,
        sequence: SequenceSlot,
        id: String? = nil,
        continueLoopOnFailure: Bool = false,
        collection: ForEachCollection? = nil
    ) {
        self.expression = expression
        self.sequence = sequence
        self.id = id
        self.continueLoopOnFailure = continueLoopOnFailure
        self.collection = collection
    }

    /// Mediators that leave the message or the flow, which a `foreach` sequence may not hold directly.
    static let refusedInside: Set<String> = ["send", "call", "callout", "respond", "loopback", "clone", "iterate"]

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> ForEachMediator? {
        // ForEachMediatorFactory: a non-blank `collection` makes it MI 4.4's foreach.
        if let text = element.attribute("collection"), !text.allSatisfy(\.isWhitespace) {
            return readCollectionForm(collection: text, from: element, reader: reader)
        }
        let expression = reader.required("expression", of: element).flatMap {
            reader.expression($0, attribute: "expression", of: element)
        }
        let continueLoop = reader.flag("continueLoopOnFailure", of: element, default: false)
        let slot = reader.readSequenceSlot(of: element, attribute: "sequence")
        reader.ignoreText(in: element)
        for child in element.childElements where !reader.isSynapse(child, named: "sequence") {
            reader.reportUnknown(child, in: element)
            return nil
        }
        guard let expression, let slot else { return nil }
        if case .inline(let mediators) = slot {
            for mediator in mediators where refusedInside.contains(mediator.elementName) {
                reader.report(
                    "the sequence of <foreach> cannot contain <\(mediator.elementName)>: foreach rewrites each "
                        + "fragment in place; use iterate to send fragments",
                    at: element
                )
                return nil
            }
        }
        return ForEachMediator(
            expression: expression,
            sequence: slot,
            id: element.attribute("id"),
            continueLoopOnFailure: continueLoop
        )
    }

    private static func readCollectionForm(
        collection text: String,
        from element: XMLElementNode,
        reader: ArtifactReader
    ) -> ForEachMediator? {
        reader.ignoreText(in: element)
        let collection = reader.expression(text, attribute: "collection", of: element)
        let settings = ForEachCollection.read(element, reader: reader)
        var mediators: [MediatorNode]?
        for child in element.childElements {
            if reader.isSynapse(child, named: "sequence"), mediators == nil {
                mediators = reader.readMediators(in: child)
            } else {
                reader.ignoreUnknown(child, in: element)
            }
        }
        guard let mediators else {
            reader.report("<foreach collection=...> needs a <sequence>", at: element)
            return nil
        }
        guard let collection, let settings else { return nil }
        return ForEachMediator(expression: collection, sequence: .inline(mediators), collection: settings)
    }

    func write(to writer: XMLWriter) {
        if let collection {
            collection.write(collection: expression, to: writer) {
                if case .inline(let mediators) = sequence { writer.element("sequence") { writer.mediators(mediators) } }
            }
            return
        }
        var key: String?
        if case .key(let name) = sequence { key = name }
        writer.element(
            "foreach",
            [
                "expression": expression.source, "sequence": key, "id": id,
                "continueLoopOnFailure": continueLoopOnFailure ? "true" : nil,
            ],
            namespaces: expression.namespaces
        ) {
            if case .inline(let mediators) = sequence {
                writer.element("sequence") { writer.mediators(mediators) }
            }
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        if let collection { return try CompiledForEachCollectionMediator(self, settings: collection, compilation: &compilation) }
        let compiled = try compilation.path(expression, usedFor: "foreach expression")
        return CompiledForEachMediator(
            expression: compiled,
            body: try compilation.compileBranch(sequence),
            idPrefix: id.map { $0 + "_" } ?? "",
            continueLoopOnFailure: continueLoopOnFailure
        )
    }
}

extension MediatorNode {
    /// A `<foreach>` node.
    public static func forEach(_ mediator: ForEachMediator) -> MediatorNode { MediatorNode(mediator) }
}
