import SluiceModel

/// Writes `<payloadFactory>` (omitting `media-type="xml"`): an xml format as its inline element,
/// a json format as text.
struct PayloadFactoryMediatorSerializer: MediatorSerializer {
    let elementName = "payloadFactory"

    func write(_ mediator: MediatorNode, to writer: XMLWriter) {
        guard case .payloadFactory(let payload) = mediator else { return }
        let mediaType = payload.mediaType == .xml ? nil : payload.mediaType.rawValue
        writer.element("payloadFactory", ["media-type": mediaType]) {
            if let key = payload.formatKey {
                writer.element("format", ["key": key])
            } else {
                switch payload.mediaType {
                case .xml: writer.rawElement("format", raw: payload.format)
                case .json: writer.rawElement("format", raw: XMLWriter.escapeText(payload.format))
                }
            }
            writer.element("args") {
                for argument in payload.arguments {
                    let (value, expression) = XMLWriter.valueAttributes(argument.value)
                    writer.element(
                        "arg",
                        [
                            "value": value,
                            "expression": expression,
                            "evaluator": argument.evaluator?.rawValue,
                            "literal": argument.literal ? "true" : nil,
                        ],
                        namespaces: XMLWriter.namespaces(of: argument.value)
                    )
                }
            }
        }
    }
}
