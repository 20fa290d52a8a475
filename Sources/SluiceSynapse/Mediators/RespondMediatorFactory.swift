import SluiceModel

/// Reads `<respond/>`: Sends the current message back to the client.
struct RespondMediatorFactory: MediatorFactory {
    let elementName = "respond"

    func makeMediator(from element: XMLElementNode, reader: ArtifactReader) -> MediatorNode? {
        reader.rejectText(in: element)
        reader.rejectChildren(of: element)
        return .respond
    }
}
