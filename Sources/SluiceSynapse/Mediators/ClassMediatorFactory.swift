import SluiceModel

/// Reads `<class name="..."><property name= value|expression/>*</class>`.
struct ClassMediatorFactory: MediatorFactory {
    let elementName = "class"

    func makeMediator(from element: XMLElementNode, reader: ArtifactReader) -> MediatorNode? {
        let className = reader.required("name", of: element)
        let properties = reader.readNamedValues(of: element)
        guard let className else { return nil }
        return .classMediator(ClassMediator(className: className, properties: properties))
    }
}
