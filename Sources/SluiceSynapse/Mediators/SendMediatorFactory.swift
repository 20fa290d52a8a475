import SluiceModel

/// Reads `<send [receive=] [buildmessage=]>[<endpoint/>]</send>`.
struct SendMediatorFactory: MediatorFactory {
    let elementName = "send"

    func makeMediator(from element: XMLElementNode, reader: ArtifactReader) -> MediatorNode? {
        let (endpoint, ok) = reader.readOptionalEndpointChild(of: element)
        let buildMessage = reader.flag("buildmessage", of: element, default: false)
        guard ok else { return nil }
        return .send(
            SendMediator(endpoint: endpoint, receive: element.attribute("receive"), buildMessage: buildMessage)
        )
    }
}
