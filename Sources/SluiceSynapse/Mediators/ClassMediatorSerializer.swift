import SluiceModel

/// Writes `<class name="...">` with its properties.
struct ClassMediatorSerializer: MediatorSerializer {
    let elementName = "class"

    func write(_ mediator: MediatorNode, to writer: XMLWriter) {
        guard case .classMediator(let mediator) = mediator else { return }
        writer.element("class", ["name": mediator.className]) {
            writer.namedValues(mediator.properties)
        }
    }
}
