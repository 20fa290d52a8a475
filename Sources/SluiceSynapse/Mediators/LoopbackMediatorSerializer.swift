import SluiceModel

/// Writes `<loopback/>`.
struct LoopbackMediatorSerializer: MediatorSerializer {
    let elementName = "loopback"

    func write(_ mediator: MediatorNode, to writer: XMLWriter) {
        writer.element("loopback")
    }
}
