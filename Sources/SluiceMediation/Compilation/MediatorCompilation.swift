import SluiceModel
internal import SluiceXML

/// What a mediator sees while it compiles (`SynapseMediator.compile(_:)`): where it was written, the names it may
/// refer to, the class-mediator registry, and the compilation of the mediators it contains.
struct MediatorCompilation {
    /// The names compiled mediators may refer to.
    struct Scope {
        /// Named sequences that exist (deployed, or being deployed together).
        var sequenceNames: Set<String>
        /// Sequence templates that exist.
        var templateNames: Set<String>
        /// Named endpoints, resolved.
        var endpoints: [String: ResolvedEndpoint]
        /// Endpoint templates by name.
        var endpointTemplates: [String: SynapseTemplate]
        /// Local entries by key.
        var localEntries: LocalEntryTable
    }

    /// The sequence or resource the mediators were written in; compile errors point here.
    let location: SourceLocation?
    /// The `<class name=>` mediators that exist.
    let classMediators: ClassMediatorRegistry
    /// The counters `<throttle>` counts with; nil when the node set none up.
    let throttleCounters: (any MediationThrottleCounters)?
    /// Opens the pools `dblookup`/`dbreport` run on; nil when nothing will run (`sluice validate`).
    let databases: (any DatabaseConnector)?
    /// The http(s) documents the deployer fetched, for `<wsdl uri=>`; nil refuses such URIs.
    let networkSources: (any NetworkSources)?
    private(set) var scope: Scope
    /// References to sequences, endpoints, templates and local entries the scope lacks. Synapse deploys such an
    /// artifact and faults when a message reaches the reference, so they are compiled to fault at run time and
    /// reported as warnings; redeploying with the missing artifact resolves them.
    private(set) var unresolved: [MediationCompileError] = []
    /// The datasources `dbreport useTransaction="true"` mediators of this sequence write to, in order: a
    /// transaction over more than one has no two-phase commit, which deployment warns about.
    var transactionDataSources: [String] = []

    init(
        location: SourceLocation?,
        classMediators: ClassMediatorRegistry,
        throttleCounters: (any MediationThrottleCounters)? = nil,
        databases: (any DatabaseConnector)? = nil,
        networkSources: (any NetworkSources)? = nil,
        scope: Scope
    ) {
        self.throttleCounters = throttleCounters
        self.databases = databases
        self.networkSources = networkSources
        self.location = location
        self.classMediators = classMediators
        self.scope = scope
    }

    /// An error at the place being compiled.
    func error(_ kind: MediationCompileError.Kind) -> MediationCompileError {
        MediationCompileError(kind, location: location)
    }

    /// Compiles mediators in order.
    mutating func compile(_ nodes: [MediatorNode]) throws(MediationCompileError) -> [any CompiledMediator] {
        var result: [any CompiledMediator] = []
        result.reserveCapacity(nodes.count)
        for node in nodes {
            result.append(try compile(node))
        }
        return result
    }

    /// Compiles one mediator. A mediator that needs the content of a key nothing deployed defines (an endpoint, a
    /// template, a local entry) compiles to one that faults when a message reaches it, as in Synapse.
    mutating func compile(_ node: MediatorNode) throws(MediationCompileError) -> any CompiledMediator {
        do {
            return try MediatorCatalog.synapseMediator(node).compile(&self)
        } catch let failure {
            guard let fault = failure.kind.runtimeFault else { throw failure }
            unresolved.append(failure)
            return CompiledUnresolvedReference(fault: fault)
        }
    }

    /// Notes a reference to a named sequence that is looked up when the message reaches it (`sequence key=`, a
    /// branch, `onAccept`...): a missing one is a warning here and faults there.
    mutating func referSequence(_ key: String) {
        if !scope.sequenceNames.contains(key) { unresolved.append(error(.unknownSequence(key))) }
    }

    /// Notes a reference to a sequence template, looked up when `call-template` runs.
    mutating func referTemplate(_ name: String) {
        if !scope.templateNames.contains(name) { unresolved.append(error(.unknownTemplate(name))) }
    }

    /// Notes something Synapse deploys and that faults when a message reaches it (a JDBC driver Sluice lacks...):
    /// reported with the deployment's warnings.
    mutating func warn(_ message: String) {
        unresolved.append(error(.faultsWhenReached(message)))
    }

    /// Takes the unresolved references another compilation noted.
    mutating func noteUnresolved(_ references: [MediationCompileError]) {
        unresolved += references
    }

    /// The text a key names, for mediators that take their content from a resource (a payloadFactory format, an
    /// inline enrich source, a schema): a local entry's text or XML markup.
    /// - Throws: `MediationCompileError` for an unknown key (a registry path `conf:`/`gov:` is the key of a local
    ///   entry).
    func resourceText(forKey key: String, usedFor purpose: String) throws(MediationCompileError) -> String {
        if let text = scope.localEntries.content(forKey: key)?.text { return text }
        throw error(.unknownLocalEntry(key))
    }

    /// The compiled stylesheet in the local entry `key` (compiled once with the deployment's local entries).
    /// - Throws: `MediationCompileError` for an unknown key or an entry that is not a stylesheet libxslt compiles.
    func stylesheet(forKey key: String) throws(MediationCompileError) -> XSLTStylesheet {
        let compiled: Result<XSLTStylesheet, XMLParseError>
        if let precompiled = scope.localEntries.stylesheets[key] {
            compiled = precompiled
        } else {
            // Not written in the XSLT namespace: libxslt says what is wrong with it.
            let text = try resourceText(forKey: key, usedFor: "an XSLT stylesheet")
            compiled = Result { () throws(XMLParseError) in try XSLTStylesheet(text: text, name: key) }
        }
        switch compiled {
        case .success(let stylesheet):
            return stylesheet
        case .failure(let failure):
            throw error(
                .invalidConfiguration(
                    className: "xslt stylesheet '\(key)'",
                    reason: "line \(failure.line) of the local entry: \(failure.message)"
                )
            )
        }
    }

    /// Resolves an endpoint written inside a mediator: a reference to the shared named endpoint, or an inline one
    /// with fresh state.
    mutating func resolve(_ definition: EndpointDefinition) throws(MediationCompileError) -> ResolvedEndpoint {
        var resolver = EndpointResolver(
            definitions: [:],
            resolved: scope.endpoints,
            templates: scope.endpointTemplates,
            networkSources: networkSources
        )
        defer { noteUnresolved(resolver.unresolved.map { $0.location == nil ? error($0.kind) : $0 }) }
        do {
            return try resolver.resolve(definition)
        } catch var error {
            if error.location == nil { error.location = location }
            throw error
        }
    }

    /// Compiles an expression at this place.
    func expression(_ expression: SynapseExpression) throws(MediationCompileError) -> CompiledExpression {
        try CompiledExpression(expression, location: location)
    }

    /// Compiles an expression a mediator splits or collects by (see `CompiledExpression.asPath`).
    /// - Throws: `MediationCompileError` for an expression that is neither a JSON path nor an XPath.
    func path(_ expression: SynapseExpression, usedFor purpose: String) throws(MediationCompileError) -> CompiledExpression {
        guard let path = try self.expression(expression).asPath else {
            throw error(.unsupported("\(purpose) '\(expression.source)': use an XPath or json-eval path"))
        }
        return path
    }

    /// Compiles a literal or expression at this place.
    func value(_ source: ValueSource) throws(MediationCompileError) -> CompiledValue {
        try CompiledValue(source, location: location)
    }

    /// Compiles a regex at this place.
    func regex(_ text: String) throws(MediationCompileError) -> SharedRegex {
        try SharedRegex(text, location: location)
    }
}

/// A mediator that needed what nothing deployed defines: faults as Synapse does when it looks the key up.
struct CompiledUnresolvedReference: CompiledMediator {
    let fault: MediationFault

    var readsBody: Bool { false }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        throw fault
    }
}
