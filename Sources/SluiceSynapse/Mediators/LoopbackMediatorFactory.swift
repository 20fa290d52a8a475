import SluiceModel

/// Reads `<loopback/>`: Goes from the in flow to the out flow.
struct LoopbackMediatorFactory: MediatorFactory {
    let elementName = "loopback"

    func makeMediator(from element: XMLElementNode, reader: ArtifactReader) -> MediatorNode? {
        reader.rejectText(in: element)
        reader.rejectChildren(of: element)
        return .loopback
    }
}
