import SluiceModel

/// Writes `<filter>` with `<then>` and, when not empty, `<else>`.
struct FilterMediatorSerializer: MediatorSerializer {
    let elementName = "filter"

    func write(_ mediator: MediatorNode, to writer: XMLWriter) {
        guard case .filter(let filter) = mediator else { return }
        let content = {
            writer.element("then") { writer.mediators(filter.then) }
            if !filter.otherwise.isEmpty {
                writer.element("else") { writer.mediators(filter.otherwise) }
            }
        }
        switch filter.condition {
        case .sourceMatches(let source, let regex):
            writer.element(
                "filter",
                ["source": source.source, "regex": regex],
                namespaces: source.namespaces,
                content: content
            )
        case .xpath(let xpath):
            writer.element("filter", ["xpath": xpath.source], namespaces: xpath.namespaces, content: content)
        }
    }
}
