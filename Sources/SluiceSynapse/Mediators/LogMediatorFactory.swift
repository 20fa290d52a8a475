import SluiceModel

/// Reads `<log [level=] [category=] [separator=] [description=]><property .../>*</log>`.
struct LogMediatorFactory: MediatorFactory {
    let elementName = "log"

    func makeMediator(from element: XMLElementNode, reader: ArtifactReader) -> MediatorNode? {
        let level = reader.enumeration("level", of: element, as: LogMediator.Level.self)
        let category = reader.enumeration("category", of: element, as: LogMediator.Category.self, caseInsensitive: true)
        let properties = reader.readNamedValues(of: element)
        return .log(
            LogMediator(
                level: level ?? .simple,
                category: category ?? .info,
                separator: element.attribute("separator"),
                description: element.attribute("description"),
                properties: properties
            )
        )
    }
}
