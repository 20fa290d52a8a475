public import SluiceModel
internal import SluiceXML

/// `<propertyGroup [description=]><property .../>*</propertyGroup>` (WSO2's Synapse): several `property` mediators
/// in one element, run in order.
public struct PropertyGroupMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "propertyGroup"

    public var description: String?
    public var properties: [PropertyMediator]

    public init(description: String? = nil, properties: [PropertyMediator]) {
        self.description = description
        self.properties = properties
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> PropertyGroupMediator? {
        reader.ignoreText(in: element)
        var ok = true
        var properties: [PropertyMediator] = []
        for child in element.childElements {
            guard reader.isSynapse(child, named: PropertyMediator.elementName) else {
                reader.report("<propertyGroup> holds only <property> elements, not <\(child.localName)>", at: child)
                ok = false
                continue
            }
            if let property = PropertyMediator.read(from: child, reader: reader) {
                properties.append(property)
            } else {
                ok = false
            }
        }
        guard ok else { return nil }
        return PropertyGroupMediator(description: element.attribute("description"), properties: properties)
    }

    func write(to writer: XMLWriter) {
        writer.element("propertyGroup", ["description": description]) {
            for property in properties { property.write(to: writer) }
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        var compiled: [any CompiledMediator] = []
        for property in properties { compiled.append(try property.compile(&compilation)) }
        return CompiledPropertyGroupMediator(properties: compiled)
    }
}

/// `<propertyGroup>` ready to run: its properties in order, in this mediator's step (no frame is pushed).
struct CompiledPropertyGroupMediator: CompiledMediator {
    let properties: [any CompiledMediator]

    var readsBody: Bool { properties.anyReadsBody }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        for property in properties {
            let outcome = try property.mediate(&context)
            guard case .proceed = outcome else { return outcome }
        }
        return .proceed
    }
}

extension MediatorNode {
    /// A `<propertyGroup>` node.
    public static func propertyGroup(_ mediator: PropertyGroupMediator) -> MediatorNode { MediatorNode(mediator) }
}
