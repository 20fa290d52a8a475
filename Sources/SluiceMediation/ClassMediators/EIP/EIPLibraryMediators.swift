import SluiceModel

/// Apache Synapse's EIP library functions written in Java (`org.apache.synapse.libraries.eip`): class mediators
/// that the library's sequence templates run (`content_based_router`, `dynamic_router`, `callout_block`). Each
/// reads the parameters of the template that runs it (Synapse's `EIPUtils.lookupFunctionParam`, the innermost
/// `call-template`'s `$func:` values) for every message and builds its routing from them, as Synapse does.
///
/// Outside a template they have no parameters and fault as Synapse's do.
enum EIPLibraryMediators {
    static let contentBasedRouter = "org.apache.synapse.libraries.eip.ContentBasedRouterMediator"
    static let dynamicRouter = "org.apache.synapse.libraries.eip.DynamicRouterMediator"
    static let calloutBlock = "org.apache.synapse.libraries.eip.CalloutBlockMediator"

    /// Adds the three mediators to `registry`. They take no `<property>` (Synapse sets none on them).
    static func register(in registry: inout ClassMediatorRegistry) {
        registry.register(names: [contentBasedRouter]) { node, compilation throws(MediationCompileError) in
            try refuseProperties(node, compilation: compilation)
            return ContentBasedRouterMediator()
        }
        registry.register(names: [dynamicRouter]) { node, compilation throws(MediationCompileError) in
            try refuseProperties(node, compilation: compilation)
            return DynamicRouterMediator()
        }
        registry.register(names: [calloutBlock]) { node, compilation throws(MediationCompileError) in
            try refuseProperties(node, compilation: compilation)
            // The service URL comes with each message, so the call goes through a default endpoint (the message's
            // `To`), which the mediator points at it.
            let endpoint = try compilation.resolve(EndpointDefinition(kind: .defaultAddress(DefaultEndpoint())))
            return CalloutBlockMediator(endpoint: endpoint)
        }
    }

    /// Synapse sets a class mediator's properties through setters; these classes have none for configuration.
    private static func refuseProperties(_ node: ClassMediator, compilation: MediatorCompilation) throws(MediationCompileError) {
        guard let property = node.properties.first else { return }
        let setter = "set" + property.name.prefix(1).uppercased() + property.name.dropFirst()
        throw compilation.error(
            .invalidConfiguration(className: node.className, reason: "Did not find a setter method named : \(setter)()")
        )
    }

    /// The value the innermost template holds for `name` (Synapse's `EIPUtils.lookupFunctionParam`).
    static func parameter(_ name: String, in context: MessageContext) -> FunctionParameter? {
        context.templateParameters.last?[name]
    }

    /// A parameter Synapse casts to `String`: text, or nil when absent.
    /// - Throws: `MediationFault` when the parameter holds a `{{path}}` (Synapse's `ClassCastException`).
    static func text(_ name: String, in context: MessageContext) throws(MediationFault) -> String? {
        switch parameter(name, in: context) {
        case nil: return nil
        case .value(let value)?: return value.stringValue
        case .path(let path)?:
            throw fault("the template parameter '\(name)' must be text, not the path {{\(path.source)}}")
        }
    }

    /// A fault with Synapse's message (`ERROR_MESSAGE`), as its `handleException` raises.
    static func fault(_ message: String) -> MediationFault {
        MediationFault(code: SynapseErrorCode.mediationFailed, message: message)
    }

    /// Java's `String.split` with a literal separator: the parts in order, trailing empty parts dropped (so text
    /// made only of separators gives no part), and text without the separator gives itself.
    static func javaSplit(_ text: String, by separator: String) -> [String] {
        var parts = text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return [text] }
        while parts.last?.isEmpty == true { parts.removeLast() }
        return parts
    }
}
