import SluiceModel

/// Writes `<log>`, omitting `level="simple"` and `category="INFO"`.
struct LogMediatorSerializer: MediatorSerializer {
    let elementName = "log"

    func write(_ mediator: MediatorNode, to writer: XMLWriter) {
        guard case .log(let log) = mediator else { return }
        writer.element(
            "log",
            [
                "level": log.level == .simple ? nil : log.level.rawValue,
                "category": log.category == .info ? nil : log.category.rawValue,
                "separator": log.separator,
                "description": log.description,
            ]
        ) {
            writer.namedValues(log.properties)
        }
    }
}
