import SluiceModel

/// `<class name=>` naming one of Synapse's own mediator classes. Synapse instantiates any class on its class path
/// that implements `Mediator` with its no-argument constructor and sets each `<property name= value=>` through
/// the setter of that name (`PropertyHelper.setInstanceProperty`), so its built-in mediators run as class
/// mediators with their defaults. Sluice runs the equivalent mediator; a property without a setter, or without a
/// `value` (Synapse's factory takes no `expression` there), fails the deployment as in Synapse.
enum SynapseBuiltInClass {
    /// The mediator a built-in class name stands for; nil for any other class.
    static func mediator(
        for node: ClassMediator,
        compilation: MediatorCompilation
    ) throws(MediationCompileError) -> MediatorNode? {
        switch node.className {
        case "org.apache.synapse.mediators.builtin.LogMediator":
            return .log(try logMediator(node.properties, className: node.className, compilation: compilation))
        default:
            return nil
        }
    }

    /// `LogMediator`'s defaults (level SIMPLE, category INFO, separator ", ") and setters: `logLevel` (0 CUSTOM,
    /// 1 SIMPLE, 2 HEADERS, 3 FULL), `category` (0 INFO, 1 DEBUG, 2 TRACE, 3 WARN, 4 ERROR, 5 FATAL), `separator`,
    /// `description`.
    private static func logMediator(
        _ properties: [NamedValue],
        className: String,
        compilation: MediatorCompilation
    ) throws(MediationCompileError) -> LogMediator {
        var log = LogMediator()
        for property in properties {
            guard case .literal(let value) = property.value else {
                throw compilation.error(
                    .invalidConfiguration(
                        className: className,
                        reason: "property '\(property.name)' must have a 'value': a class mediator's properties are set once"
                    )
                )
            }
            switch property.name {
            case "logLevel":
                let levels: [LogMediator.Level] = [.custom, .simple, .headers, .full]
                log.level = try element(of: levels, at: value, property: property.name, className: className, compilation: compilation)
            case "category":
                let categories: [LogMediator.Category] = [.info, .debug, .trace, .warn, .error, .fatal]
                log.category = try element(of: categories, at: value, property: property.name, className: className, compilation: compilation)
            case "separator":
                log.separator = value
            case "description":
                log.description = value
            default:
                let setter = "set" + property.name.prefix(1).uppercased() + property.name.dropFirst()
                throw compilation.error(
                    .invalidConfiguration(className: className, reason: "Did not find a setter method named : \(setter)()")
                )
            }
        }
        return log
    }

    /// The setter's `int` argument as an index into the constants it takes.
    private static func element<Value>(
        of values: [Value],
        at text: String,
        property: String,
        className: String,
        compilation: MediatorCompilation
    ) throws(MediationCompileError) -> Value {
        guard let index = Int(text.trimmingWhitespace()), values.indices.contains(index) else {
            throw compilation.error(
                .invalidConfiguration(
                    className: className,
                    reason: "property '\(property)' must be a number from 0 to \(values.count - 1), not '\(text)'"
                )
            )
        }
        return values[index]
    }
}
