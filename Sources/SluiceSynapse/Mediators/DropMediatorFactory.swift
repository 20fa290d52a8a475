import SluiceModel

/// Reads `<drop/>`: Stops mediation.
struct DropMediatorFactory: MediatorFactory {
    let elementName = "drop"

    func makeMediator(from element: XMLElementNode, reader: ArtifactReader) -> MediatorNode? {
        reader.rejectText(in: element)
        reader.rejectChildren(of: element)
        return .drop
    }
}
