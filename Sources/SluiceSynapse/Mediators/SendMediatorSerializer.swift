import SluiceModel

/// Writes `<send>`, omitting `buildmessage="false"`.
struct SendMediatorSerializer: MediatorSerializer {
    let elementName = "send"

    func write(_ mediator: MediatorNode, to writer: XMLWriter) {
        guard case .send(let send) = mediator else { return }
        writer.element("send", ["receive": send.receive, "buildmessage": send.buildMessage ? "true" : nil]) {
            if let endpoint = send.endpoint { writer.endpoint(endpoint) }
        }
    }
}
