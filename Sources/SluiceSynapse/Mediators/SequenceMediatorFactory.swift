import SluiceModel

/// Reads `<sequence key="name"/>` inside a sequence: a call to a named sequence.
struct SequenceMediatorFactory: MediatorFactory {
    let elementName = "sequence"

    func makeMediator(from element: XMLElementNode, reader: ArtifactReader) -> MediatorNode? {
        reader.rejectText(in: element)
        reader.rejectChildren(of: element)
        guard let key = reader.required("key", of: element) else { return nil }
        return .sequence(key: key)
    }
}
