import SluiceModel

/// Writes `<respond/>`.
struct RespondMediatorSerializer: MediatorSerializer {
    let elementName = "respond"

    func write(_ mediator: MediatorNode, to writer: XMLWriter) {
        writer.element("respond")
    }
}
