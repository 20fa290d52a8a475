import SluiceModel

/// Reads `<filter source= regex=>` or `<filter xpath=>` with `<then>`/`<else>`, or direct children as `then`.
struct FilterMediatorFactory: MediatorFactory {
    let elementName = "filter"

    func makeMediator(from element: XMLElementNode, reader: ArtifactReader) -> MediatorNode? {
        let condition = readCondition(element, reader: reader)
        let children = element.childElements
        func isBranch(_ child: XMLElementNode) -> Bool {
            reader.isSynapse(child, named: "then") || reader.isSynapse(child, named: "else")
        }
        var then: [MediatorNode] = []
        var otherwise: [MediatorNode] = []
        if !children.contains(where: isBranch) {
            then = reader.readMediators(in: element)
        } else {
            reader.rejectText(in: element)
            var seen: Set<String> = []
            for child in children {
                guard isBranch(child) else {
                    reader.report(
                        "<filter> with <then>/<else> cannot also hold '<\(child.qualifiedName)>' directly",
                        at: child
                    )
                    continue
                }
                if !seen.insert(child.localName).inserted {
                    reader.report("<filter> has more than one <\(child.localName)>", at: child)
                }
                let mediators = reader.readMediators(in: child)
                if child.localName == "then" { then = mediators } else { otherwise = mediators }
            }
        }
        guard let condition else { return nil }
        return .filter(FilterMediator(condition: condition, then: then, otherwise: otherwise))
    }

    private func readCondition(_ element: XMLElementNode, reader: ArtifactReader) -> FilterMediator.Condition? {
        let source = element.attribute("source")
        let regex = element.attribute("regex")
        let xpath = element.attribute("xpath")
        switch (source, regex, xpath) {
        case (let source?, let regex?, nil):
            guard let expression = reader.expression(source, attribute: "source", of: element) else { return nil }
            return .sourceMatches(source: expression, regex: regex)
        case (nil, nil, let xpath?):
            guard let expression = reader.expression(xpath, attribute: "xpath", of: element) else { return nil }
            return .xpath(expression)
        default:
            reader.report("<filter> needs either 'source' and 'regex', or 'xpath'", at: element)
            return nil
        }
    }
}
