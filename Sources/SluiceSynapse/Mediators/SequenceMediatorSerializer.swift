import SluiceModel

/// Writes `<sequence key="name"/>`.
struct SequenceMediatorSerializer: MediatorSerializer {
    let elementName = "sequence"

    func write(_ mediator: MediatorNode, to writer: XMLWriter) {
        guard case .sequence(let key) = mediator else { return }
        writer.element("sequence", ["key": key])
    }
}
