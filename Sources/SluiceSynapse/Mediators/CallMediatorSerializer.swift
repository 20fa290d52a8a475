import SluiceModel

/// Writes `<call>`, omitting `blocking="false"`.
struct CallMediatorSerializer: MediatorSerializer {
    let elementName = "call"

    func write(_ mediator: MediatorNode, to writer: XMLWriter) {
        guard case .call(let call) = mediator else { return }
        writer.element("call", ["blocking": call.blocking ? "true" : nil]) {
            if let endpoint = call.endpoint { writer.endpoint(endpoint) }
        }
    }
}
