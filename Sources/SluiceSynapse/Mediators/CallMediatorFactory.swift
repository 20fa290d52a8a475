import SluiceModel

/// Reads `<call [blocking=]>[<endpoint/>]</call>`.
struct CallMediatorFactory: MediatorFactory {
    let elementName = "call"

    func makeMediator(from element: XMLElementNode, reader: ArtifactReader) -> MediatorNode? {
        let (endpoint, ok) = reader.readOptionalEndpointChild(of: element)
        let blocking = reader.flag("blocking", of: element, default: false)
        guard ok else { return nil }
        return .call(CallMediator(endpoint: endpoint, blocking: blocking))
    }
}
