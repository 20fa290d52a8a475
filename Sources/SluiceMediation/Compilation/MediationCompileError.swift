import SluiceModel

/// Why an artifact cannot be deployed: an unknown sequence, endpoint, class or handler, or a bad expression,
/// with the place in the artifact it comes from.
public struct MediationCompileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: Sendable, Hashable {
        case unknownSequence(String)
        case unknownEndpoint(String)
        case unknownTemplate(String)
        case unknownLocalEntry(String)
        /// An endpoint template whose instance does not read as an endpoint.
        case invalidTemplateEndpoint(template: String, reason: String)
        /// Two artifacts of the deployment use the same key.
        case duplicateKey(String)
        case unknownClassMediator(String)
        case unknownHandler(String)
        /// A handler or class mediator refused its properties.
        case invalidConfiguration(className: String, reason: String)
        case invalidExpression(String, reason: String)
        case invalidRegex(String, reason: String)
        /// A feature of the model the runtime does not implement.
        case unsupported(String)
        /// Named sequences or endpoints that refer to themselves.
        case cyclicReference(String)
        /// Something Synapse deploys that faults when a message reaches it (a warning, never a refusal).
        case faultsWhenReached(String)
    }

    /// What is wrong.
    public var kind: Kind
    /// Where in the artifact the problem is, when known.
    public var location: SourceLocation?

    /// Creates an error.
    public init(_ kind: Kind, location: SourceLocation? = nil) {
        self.kind = kind
        self.location = location
    }

    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        switch kind {
        case .unknownSequence(let key): return place + "unknown sequence '\(key)'" + Self.registryHint(key, "sequence")
        case .unknownEndpoint(let key): return place + "unknown endpoint '\(key)'" + Self.registryHint(key, "endpoint")
        case .unknownTemplate(let name): return place + "unknown template '\(name)'"
        case .unknownLocalEntry(let key): return place + "unknown local entry '\(key)'" + Self.registryHint(key, "content")
        case .invalidTemplateEndpoint(let template, let reason):
            return place + "the endpoint made from template '\(template)' is invalid: \(reason)"
        case .duplicateKey(let key):
            return place + "'\(key)' is defined twice: a local entry shares the name of a sequence or endpoint"
        case .unknownClassMediator(let name):
            return place + "unknown class mediator '\(name)': a Java class, which Sluice cannot load; register a Swift "
                + "mediator under this name (ClassMediatorRegistry)"
        case .unknownHandler(let name):
            return place + "unknown handler class '\(name)': a Java class, which Sluice cannot load; register a Swift "
                + "handler under this name (GatewayHandlerRegistry)"
        case .invalidConfiguration(let name, let reason): return place + "invalid configuration of '\(name)': \(reason)"
        case .invalidExpression(let text, let reason): return place + "invalid expression '\(text)': \(reason)"
        case .invalidRegex(let text, let reason): return place + "invalid regex '\(text)': \(reason)"
        case .unsupported(let what): return place + "unsupported: \(what)"
        case .cyclicReference(let name): return place + "'\(name)' refers to itself"
        case .faultsWhenReached(let what): return place + what
        }
    }

    /// Sluice has no registry: a `conf:`/`gov:` key names a local entry of that key (see docs/compatibility.md).
    private static func registryHint(_ key: String, _ content: String) -> String {
        guard key.hasPrefix("conf:") || key.hasPrefix("gov:") else { return "" }
        return "; registry keys name local entries here: deploy <localEntry key=\"\(key)\"> holding the \(content)"
    }
}

extension MediationCompileError.Kind {
    /// A reference to a sequence, endpoint, template or local entry that the deployment does not define.
    public var isUnresolvedReference: Bool {
        switch self {
        case .unknownSequence, .unknownEndpoint, .unknownTemplate, .unknownLocalEntry: true
        default: false
        }
    }

    /// What a message reaching an unresolved reference faults with, as Synapse faults when it looks the key up
    /// (nil for the other kinds).
    var runtimeFault: MediationFault? {
        switch self {
        case .unknownSequence(let key): .sequenceNotFound(key)
        case .unknownEndpoint(let key): .endpointNotFound(key)
        case .unknownTemplate(let name): .templateNotFound(name)
        case .unknownLocalEntry(let key): .entryNotFound(key)
        default: nil
        }
    }
}
