import SluiceModel

/// Writes `<drop/>`.
struct DropMediatorSerializer: MediatorSerializer {
    let elementName = "drop"

    func write(_ mediator: MediatorNode, to writer: XMLWriter) {
        writer.element("drop")
    }
}
