package import SluiceModel
package import SluiceXML

extension ArtifactReader {
    /// The sequence of a `foreach` or an `iterate`/`clone` `<target>`: a `key` attribute or one inline `<sequence>`
    /// child, not both. Reports what is wrong and returns nil.
    package func readSequenceSlot(of element: XMLElementNode, attribute: String) -> SequenceSlot? {
        var inline: [MediatorNode]?
        var ok = true
        for child in element.childElements where isSynapse(child, named: "sequence") {
            if inline != nil {
                report("<\(element.localName)> takes one <sequence>", at: child)
                ok = false
            }
            inline = readMediators(in: child)
        }
        switch (element.attribute(attribute), inline) {
        case (let key?, nil):
            return ok ? .key(key) : nil
        case (nil, let mediators?):
            return ok ? .inline(mediators) : nil
        case (.some, .some):
            report("<\(element.localName)> has both '\(attribute)' and an inline <sequence>; use one", at: element)
            return nil
        case (nil, nil):
            report("<\(element.localName)> needs a '\(attribute)' attribute or an inline <sequence>", at: element)
            return nil
        }
    }
}
