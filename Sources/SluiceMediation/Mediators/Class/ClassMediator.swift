public import SluiceModel
internal import SluiceXML

/// `<class name="..."><property name= value=/>*</class>`: a mediator implemented in Swift, looked up by class name
/// in the `ClassMediatorRegistry`.
public struct ClassMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "class"

    public var className: String
    public var properties: [NamedValue]

    public init(className: String, properties: [NamedValue] = []) {
        self.className = className
        self.properties = properties
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> ClassMediator? {
        let className = reader.required("name", of: element)
        let properties = reader.readNamedValues(of: element)
        guard let className else { return nil }
        return ClassMediator(className: className, properties: properties)
    }

    func write(to writer: XMLWriter) {
        writer.element("class", ["name": className]) {
            writer.namedValues(properties)
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        if !compilation.classMediators.contains(className),
            let builtIn = try SynapseBuiltInClass.mediator(for: self, compilation: compilation)
        {
            return try compilation.compile(builtIn)
        }
        let registry = compilation.classMediators
        return try registry.compile(self, &compilation)
    }
}

/// `<class>` ready to run: calls the Swift mediator; `false` from it stops the run as `drop`.
struct CompiledClassMediator: CompiledMediator {
    let name: String
    let mediator: any Mediator

    // A class mediator may look at anything; only the built-in usage ones are known not to.
    var readsBody: Bool { mediator.readsBody }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        let proceed: Bool
        do {
            proceed = try mediator.mediate(&context)
        } catch {
            context.logger.debug("class mediator failed", metadata: ["sluice.mediator": .string(name)])
            throw error
        }
        return proceed ? .proceed : .stop(.drop)
    }
}

extension MediatorNode {
    /// A `<class>` node.
    public static func classMediator(_ mediator: ClassMediator) -> MediatorNode { MediatorNode(mediator) }
}
