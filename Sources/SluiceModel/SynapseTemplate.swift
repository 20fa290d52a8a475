/// A `<template name=>` artifact: a sequence template run by `call-template`, or an endpoint template instantiated
/// by `<endpoint template= uri=>`.
public struct SynapseTemplate: Sendable, Hashable {
    public var name: String
    /// `<parameter name= [defaultValue=] [isMandatory=]/>` in document order.
    public var parameters: [TemplateParameter]
    public var body: Body
    @DiagnosticOnly public var location: SourceLocation?

    public init(name: String, parameters: [TemplateParameter] = [], body: Body, location: SourceLocation? = nil) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.location = location
    }

    /// What the template stamps out.
    public enum Body: Sendable, Hashable {
        /// `<sequence>`: the mediators a `call-template` runs, with `$func:param` bound.
        case sequence(SequenceDefinition)
        /// `<endpoint>`, serialized standalone: attribute values and element texts written `$param` are replaced by
        /// the template endpoint's parameters (Synapse's rule: the whole value, never part of it), then the result
        /// is read as an endpoint.
        case endpoint(xml: String)
    }
}

/// A template's `<parameter>`: WSO2 writes `defaultValue` and `isMandatory`; Apache Synapse's `default` and
/// `optional` are read as the same.
public struct TemplateParameter: Sendable, Hashable {
    public var name: String
    /// Used when the caller passes no value: a literal, or `{expression}` evaluated at the call.
    public var defaultValue: String?
    /// The namespace declarations in scope of the `<parameter>` that its default's expression uses (Synapse's
    /// `ValueFactory` takes the element's namespaces with the value).
    public var defaultNamespaces: [String: String]
    /// nil when the artifact does not say.
    public var isMandatory: Bool?

    public init(name: String, defaultValue: String? = nil, defaultNamespaces: [String: String] = [:], isMandatory: Bool? = nil) {
        self.name = name
        self.defaultValue = defaultValue
        self.defaultNamespaces = defaultNamespaces
        self.isMandatory = isMandatory
    }
}
